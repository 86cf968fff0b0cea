/** The package's entry points: name (as in package.json "exports", `.` is `index`) → source file. */
export declare const ENTRIES: Record<string, string>;
