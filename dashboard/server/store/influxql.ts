// InfluxQL quoting: identifiers in double quotes, string literals in single
// quotes, each with its quote and backslash escaped. (Points are written by
// node-influx, which does its own line-protocol escaping.)
export const quoteIdent = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
export const quoteLiteral = (s: string) => `'${s.replace(/['\\]/g, (c) => `\\${c}`)}'`;
