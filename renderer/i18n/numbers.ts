/**
 * The interface's number formatter is shared/domain/numbers.ts (the same for screens, CLI,
 * messages and printed labels); the names the renderer uses.
 */
export { frenchNumber as formatNumber, frenchCount as count } from '../../shared/domain/numbers';
