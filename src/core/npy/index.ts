/**
 * The NPY reader: NumPy `.npy` files (format 1.0–3.0, any byte order, C or Fortran order) as
 * typed arrays, header-only reads, row slices of large files, and preview summaries.
 */
export { NpyError, type NpyErrorCode } from './errors';
export { type NpyDtype, type NpyDtypeName } from './dtype';
export { type NpyHeader, type NpyVersion } from './header';
export { type NpyArray, type NpyTypedArray, type DecodeOptions } from './decode';
export { readNpyHeader, readNpy, readNpySlice, type NpySlice, type NpySliceRange } from './read';
export { npyStats, decimate, npyColumn, StatsAccumulator, Decimator, type NpyStats, type Decimated, type NumericArray } from './stats';
export { previewNpy, type NpyPreview, type NpyPreviewOptions } from './preview';
