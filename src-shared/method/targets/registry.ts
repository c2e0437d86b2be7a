// The target generators by id.

import type { TargetGenerator, TargetGeneratorId } from './common';
import { maskGenerator } from './mask';
import { programmableGenerator } from './programmable';
import { randomGenerator } from './random';
import { revealGenerator } from './reveal';

export const TARGET_GENERATORS: Readonly<Record<TargetGeneratorId, TargetGenerator>> = Object.freeze({
  reveal: revealGenerator,
  mask: maskGenerator,
  random: randomGenerator,
  programmable: programmableGenerator,
});

export function getTargetGenerator(id: string): TargetGenerator {
  const gen = (TARGET_GENERATORS as Record<string, TargetGenerator | undefined>)[id];
  if (gen === undefined) {
    throw new Error(`unknown target generator "${id}" (known: ${Object.keys(TARGET_GENERATORS).join(', ')})`);
  }
  return gen;
}

