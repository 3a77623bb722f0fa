// InfluxQL quoting: identifiers in double quotes, string literals in single
// quotes, each with its quote and backslash escaped. (Points are written as
// line protocol, escaped by influxdb-client's escapers: line-protocol.ts.)
export const quoteIdent = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
export const quoteLiteral = (s: string) => `'${s.replace(/['\\]/g, (c) => `\\${c}`)}'`;
