// What the numbers were measured on: CPU, cores, memory, load, Node and package versions.
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memGiB: number;
  platform: string;
  node: string;
  tfjs: string;
  loadAvgStart: number[];
  loadAvgEnd?: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    tfjs: tf.version_core,
    loadAvgStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
