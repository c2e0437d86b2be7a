// The puzzle core's public API.
export * from './types';
export * from './errors';
export * from './grid';
export * from './dihedral';
export * from './colours';
export * from './augment';
export * from './tokens';
export { validateSolutions, validateTask } from './validate';
export * from './formats';
