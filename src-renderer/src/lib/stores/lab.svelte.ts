// Live lab state shared by the views: system info (backend/device), the runs and queue, fed by
// subscribe() events so every view sees progress without polling.
import type { EtaRange, LabEvent, QueueEta, RunSummary, SystemInfo } from '../../../../src-shared/api/contract';
import { getClient } from '../api/client';
import { attempt } from './toasts.svelte';

const ACTIVE = new Set(['queued', 'running', 'paused']);

class Lab {
  system = $state<SystemInfo | null>(null);
  runs = $state<RunSummary[]>([]);
  loaded = $state(false);
  /** the lab's one ETA estimate (queueEta), and when (client clock) it was fetched */
  eta = $state<QueueEta | null>(null);
  etaFetchedAt = $state(0);
  private etaTimer: ReturnType<typeof setTimeout> | undefined;
  private etaPoll: ReturnType<typeof setInterval> | undefined;
  private listeners = new Set<(e: LabEvent) => void>();
  private started = false;

  start(): void {
    if (this.started) return;
    this.started = true;
    const client = getClient();
    client.subscribe((e) => this.onEvent(e));
    void this.refresh();
    // progress moves the estimate even without status changes
    this.etaPoll = setInterval(() => {
      if (this.queue.length) void this.refreshEta();
    }, 15_000);
  }

  async refreshEta(): Promise<void> {
    try {
      this.eta = await getClient().queueEta();
      this.etaFetchedAt = Date.now();
    } catch {
      // an older service or a lost connection: the views say the ETA is unknown
      this.eta = null;
    }
  }

  /** Run events come in bursts: one ETA request per burst. */
  private etaSoon(): void {
    if (this.etaTimer !== undefined) return;
    this.etaTimer = setTimeout(() => {
      this.etaTimer = undefined;
      void this.refreshEta();
    }, 1000);
  }

  /** A run's ETA (seconds from etaFetchedAt), null when unknown. */
  etaOf(id: string): EtaRange | null {
    return this.eta?.runs.find((r) => r.id === id)?.eta ?? null;
  }
  basisOf(id: string): string {
    return this.eta?.runs.find((r) => r.id === id)?.basis ?? '';
  }

  async refresh(): Promise<void> {
    const client = getClient();
    const [system, runs] = await Promise.all([
      attempt('Reading system info', () => client.systemInfo()),
      attempt('Listing runs', () => client.listRuns()),
    ]);
    if (system) this.system = system;
    if (runs) this.runs = runs;
    this.loaded = true;
    if (runs?.some((r) => ACTIVE.has(r.status))) await this.refreshEta();
  }

  /** Views listen to events through here (one subscription to the client for the whole UI). */
  on(listener: (e: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private onEvent(e: LabEvent): void {
    if (e.type === 'run') {
      const i = this.runs.findIndex((r) => r.id === e.run.id);
      if (i >= 0) this.runs[i] = e.run;
      else this.runs = [...this.runs, e.run];
      this.etaSoon();
    } else if (e.type === 'run-deleted') {
      this.runs = this.runs.filter((r) => r.id !== e.runId);
      this.etaSoon();
    }
    for (const l of this.listeners) l(e);
  }

  get queue(): RunSummary[] {
    return this.runs
      .filter((r) => ACTIVE.has(r.status))
      .sort((a, b) => (a.status === 'running' ? -1 : 0) - (b.status === 'running' ? -1 : 0) || (a.queuePosition ?? 1e9) - (b.queuePosition ?? 1e9));
  }
}

export const lab = new Lab();
