// Library tasks ticked by the user, so that a run can train on exactly them (data source 'library').
class TaskSelection {
  ids = $state<string[]>([]);
  has(id: string): boolean {
    return this.ids.includes(id);
  }
  toggle(id: string): void {
    this.ids = this.has(id) ? this.ids.filter((x) => x !== id) : [...this.ids, id];
  }
  clear(): void {
    this.ids = [];
  }
}

export const taskSelection = new TaskSelection();
