/** base45 (RFC 9285) by irony/base45: no types of its own. */
declare module 'base45' {
  export function encode(bytes: Uint8Array | string): string;
  export function decode(text: string): Buffer;
}
