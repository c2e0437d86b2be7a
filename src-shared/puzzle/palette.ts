// The ARC colour palette (the one the ARC testing interface uses), shared by the UI and the CLI so a
// grid looks the same everywhere. Index = colour 0..NUM_COLOURS−1. (Colour permutations: colours.ts.)
import { NUM_COLOURS } from './types';

export const ARC_PALETTE: readonly string[] = Object.freeze([
  '#000000', // 0 black
  '#0074D9', // 1 blue
  '#FF4136', // 2 red
  '#2ECC40', // 3 green
  '#FFDC00', // 4 yellow
  '#AAAAAA', // 5 grey
  '#F012BE', // 6 magenta
  '#FF851B', // 7 orange
  '#7FDBFF', // 8 sky
  '#870C25', // 9 maroon
]);

export const ARC_COLOUR_NAMES: readonly string[] = Object.freeze([
  'black',
  'blue',
  'red',
  'green',
  'yellow',
  'grey',
  'magenta',
  'orange',
  'sky',
  'maroon',
]);

if (ARC_PALETTE.length !== NUM_COLOURS || ARC_COLOUR_NAMES.length !== NUM_COLOURS) throw new Error('the palette must name every colour');

/** [r, g, b] of a palette colour, 0..255 each. */
export function paletteRgb(colour: number): [number, number, number] {
  const hex = ARC_PALETTE[colour];
  if (hex === undefined) throw new Error(`colour must be an integer 0..${NUM_COLOURS - 1}, got ${colour}`);
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
