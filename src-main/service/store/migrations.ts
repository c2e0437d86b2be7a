// The schema, as an append-only list of migrations. Each runs in its own transaction together with
// the `user_version` bump, so a crash mid-migration leaves the previous version intact. Never edit a
// shipped migration; add a new one.

export const MIGRATIONS: readonly string[] = [
  // 1: library, runs and their time series
  `
  CREATE TABLE datasets (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('import', 'generated', 'user')),
    provenance  TEXT NOT NULL,              -- JSON: files, or family + params + seed
    created_at  TEXT NOT NULL
  );

  CREATE TABLE tasks (
    id           TEXT PRIMARY KEY,
    dataset_id   TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    task_id      TEXT NOT NULL,
    task         TEXT NOT NULL,             -- JSON Task
    tags         TEXT NOT NULL DEFAULT '[]',-- JSON string[]
    original_id  TEXT REFERENCES tasks(id) ON DELETE SET NULL,
    edited       INTEGER NOT NULL DEFAULT 0,
    train_count  INTEGER NOT NULL,
    test_count   INTEGER NOT NULL,
    thumbnail    TEXT NOT NULL,             -- JSON Grid (first train input)
    seq          INTEGER NOT NULL,          -- insertion order, for stable listings
    updated_at   TEXT NOT NULL
  );
  CREATE INDEX tasks_by_dataset ON tasks(dataset_id, seq);
  CREATE INDEX tasks_by_task_id ON tasks(task_id);

  CREATE TABLE runs (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    method            TEXT NOT NULL CHECK (method IN ('trm', 'dis')),
    config            TEXT NOT NULL,        -- JSON RunConfig
    status            TEXT NOT NULL CHECK (status IN ('queued','running','paused','completed','cancelled','failed','diverged')),
    group_id          TEXT,
    queue_position    INTEGER,
    step              INTEGER NOT NULL DEFAULT 0,
    total_steps       INTEGER NOT NULL,
    examples_per_sec  REAL NOT NULL DEFAULT 0,
    eta               REAL,
    backend           TEXT,                 -- JSON BackendInfo
    trainable_params  INTEGER,
    error             TEXT,
    engine_pid        INTEGER,
    crash_resumes     INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    started_at        TEXT,
    finished_at       TEXT,
    run_dir           TEXT NOT NULL
  );
  CREATE INDEX runs_by_status ON runs(status, queue_position);

  CREATE TABLE metrics (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key           TEXT NOT NULL,
    step          INTEGER NOT NULL,
    value         REAL,                     -- NULL stores NaN/Inf (SQLite has no NaN); read back as NaN
    wall_sec      REAL NOT NULL,
    trajectories  INTEGER NOT NULL,
    fwd_equiv     INTEGER NOT NULL,
    PRIMARY KEY (run_id, key, step)
  ) WITHOUT ROWID;

  CREATE TABLE snapshots (
    run_id  TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step    INTEGER NOT NULL,
    probes  TEXT NOT NULL,                  -- JSON ProbeSnapshot[]
    PRIMARY KEY (run_id, step)
  );

  CREATE TABLE evals (
    run_id  TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step    INTEGER NOT NULL,
    report  TEXT NOT NULL,                  -- JSON EvalReport
    PRIMARY KEY (run_id, step)
  );

  CREATE TABLE checkpoints (
    run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step        INTEGER NOT NULL,
    path        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (run_id, step)
  );
  `,
  // 2: external solvers (issue 17): imported Kaggle submission.json files, compared with runs
  `
  CREATE TABLE external_solvers (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    source_file  TEXT NOT NULL,             -- the imported file's name
    sha256       TEXT NOT NULL,             -- of the file as imported
    task_ids     TEXT NOT NULL,             -- JSON string[]
    test_count   INTEGER NOT NULL,
    submission   TEXT NOT NULL,             -- JSON Submission, validated
    created_at   TEXT NOT NULL
  );
  `,
  // 3: issue 13. A run's own copy of the tasks it trains and evaluates on (whatever the source:
  // library edits, regenerated families or a changed file can no longer change what it "knows");
  // human attempts of solve mode, keyed by task content; comparison studies (k seeds per method).
  `
  CREATE TABLE run_tasks (
    run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,          -- the order the run received them in
    task_id      TEXT NOT NULL,             -- the id as the run knew it (unique within the run)
    fingerprint  TEXT NOT NULL,             -- sha256 of the task's content (pairs, not id)
    task         TEXT NOT NULL,             -- JSON Task
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE human_attempts (
    id           TEXT PRIMARY KEY,
    fingerprint  TEXT NOT NULL,             -- the task's content: an attempt counts wherever the same task appears
    task_id      TEXT NOT NULL,             -- the id it was shown under (for reading the table)
    test_index   INTEGER NOT NULL,
    attempt      INTEGER NOT NULL,          -- 1..3
    grid         TEXT NOT NULL,             -- JSON Grid answered
    correct      INTEGER NOT NULL,
    created_at   TEXT NOT NULL
  );
  CREATE INDEX human_attempts_by_task ON human_attempts(fingerprint, test_index, attempt);

  CREATE TABLE studies (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    methods     TEXT NOT NULL,              -- JSON string[] in the order chosen
    seeds       TEXT NOT NULL,              -- JSON number[]: every method trains with each of these
    config      TEXT NOT NULL,              -- JSON RunConfig[]: the per-method configs before seeding
    created_at  TEXT NOT NULL
  );

  CREATE TABLE study_runs (
    study_id  TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    run_id    TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    method    TEXT NOT NULL,
    seed      INTEGER NOT NULL,
    PRIMARY KEY (study_id, run_id)
  ) WITHOUT ROWID;
  `,
  // 4 (issue 13, library): a deleted dataset is hidden at once and purged after the undo window, so
  // an Undo works even across a restart inside the window
  `
  ALTER TABLE datasets ADD COLUMN deleted_at TEXT;
  `,
  // 5 (issue 18): HRM as a third method: runs.method's CHECK admits 'hrm'. SQLite cannot alter a CHECK,
  // so the table is rebuilt (migrate() runs migrations with foreign keys off, so dropping the old
  // table cascades nothing, and checks the keys before each commit).
  `
  CREATE TABLE runs_new (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    method            TEXT NOT NULL CHECK (method IN ('trm', 'dis', 'hrm')),
    config            TEXT NOT NULL,        -- JSON RunConfig
    status            TEXT NOT NULL CHECK (status IN ('queued','running','paused','completed','cancelled','failed','diverged')),
    group_id          TEXT,
    queue_position    INTEGER,
    step              INTEGER NOT NULL DEFAULT 0,
    total_steps       INTEGER NOT NULL,
    examples_per_sec  REAL NOT NULL DEFAULT 0,
    eta               REAL,
    backend           TEXT,                 -- JSON BackendInfo
    trainable_params  INTEGER,
    error             TEXT,
    engine_pid        INTEGER,
    crash_resumes     INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    started_at        TEXT,
    finished_at       TEXT,
    run_dir           TEXT NOT NULL
  );
  INSERT INTO runs_new (id, name, method, config, status, group_id, queue_position, step, total_steps, examples_per_sec, eta, backend, trainable_params, error, engine_pid, crash_resumes, created_at, started_at, finished_at, run_dir) SELECT id, name, method, config, status, group_id, queue_position, step, total_steps, examples_per_sec, eta, backend, trainable_params, error, engine_pid, crash_resumes, created_at, started_at, finished_at, run_dir FROM runs;
  DROP TABLE runs;
  ALTER TABLE runs_new RENAME TO runs;
  CREATE INDEX runs_by_status ON runs(status, queue_position);
  `,
];
