export { ERROR_CODES, type ErrorCode } from './codes.js';
export { MosaicError, isMosaicError, type ErrorDetail } from './mosaic-error.js';
