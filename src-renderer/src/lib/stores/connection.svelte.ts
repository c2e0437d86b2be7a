// Connection state of the LabClient, shown in the status bar.
import type { ConnectionState } from '../api/ws-client';

class Connection {
  state = $state<ConnectionState>('connecting');
  detail = $state('connecting to the lab service');
  set(state: ConnectionState, detail: string): void {
    this.state = state;
    this.detail = detail;
  }
}

export const connection = new Connection();
