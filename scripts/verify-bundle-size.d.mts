export declare const BUDGET_KB: number;
export interface MeasuredChunk {
  file: string;
  gzippedBytes: number;
  modules: { id: string; bytes: number }[];
}
export declare function measureVerifyBundle(): Promise<{
  kb: number;
  budgetKb: number;
  staticChunks: MeasuredChunk[];
  onDemand: MeasuredChunk[];
}>;
