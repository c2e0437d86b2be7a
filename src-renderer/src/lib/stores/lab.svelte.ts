// Live lab state shared by the views: system info (backend/device), the runs and queue, fed by
// subscribe() events so every view sees progress without polling.
import type { LabEvent, RunSummary, SystemInfo } from '../../../../src-shared/api/contract';
import { getClient } from '../api/client';
import { attempt } from './toasts.svelte';

const ACTIVE = new Set(['queued', 'running', 'paused']);

class Lab {
  system = $state<SystemInfo | null>(null);
  runs = $state<RunSummary[]>([]);
  loaded = $state(false);
  private listeners = new Set<(e: LabEvent) => void>();
  private started = false;

  start(): void {
    if (this.started) return;
    this.started = true;
    const client = getClient();
    client.subscribe((e) => this.onEvent(e));
    void this.refresh();
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
    } else if (e.type === 'run-deleted') {
      this.runs = this.runs.filter((r) => r.id !== e.runId);
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
