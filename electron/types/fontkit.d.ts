/** The one fontkit call Ordo makes: parse a TTF once, for pdfkit to reuse (electron/pdf/fonts.ts). */
declare module 'fontkit' {
  /** A parsed font; pdfkit accepts it wherever it accepts a font file. */
  export interface Font {
    layout(text: string): unknown;
    postscriptName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
