// Type declarations for the CommonJS packages that render the per-IP diagrams; they ship no types.

declare module 'wavedrom' {
  /** The WaveJSON description of a timing diagram. */
  export type WaveJson = Record<string, unknown>;
  /** An onml element tree: [tag, attributes?, ...children]. */
  export type OnmlTree = unknown[];
  const wavedrom: {
    version: string;
    renderAny(index: number, source: WaveJson, skins: Record<string, unknown>): OnmlTree;
    onml: { stringify(tree: OnmlTree, indent?: number): string };
  };
  export default wavedrom;
}

declare module 'wavedrom/skins/default.js' {
  const skins: Record<string, unknown>;
  export default skins;
}

declare module 'netlistsvg' {
  const netlistsvg: {
    /** Lays out a Yosys JSON netlist with ELK and draws it with the skin (an SVG text). */
    render(skin: string, netlist: unknown): Promise<string>;
  };
  export default netlistsvg;
}
