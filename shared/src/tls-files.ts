// A server's certificate and key, named by two environment variables (the NOC
// server's NOC_TLS_CERT / NOC_TLS_KEY, an SFU node's SFU_TLS_CERT / SFU_TLS_KEY):
// both unset means plain HTTP; both set means HTTPS with the two PEM files, read
// at start. Only one of them set, a file missing or unreadable, or a key that is
// not the certificate's throws an error naming the variable, so a typo stops the
// process at start with its cause rather than serving plain HTTP.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';

export interface TlsFiles {
  /** The certificate chain (PEM): the server's certificate first, then any intermediate. */
  cert: Buffer;
  /** The certificate's private key (PEM). */
  key: Buffer;
  certFile: string;
  keyFile: string;
}

function read(name: string, file: string): Buffer {
  try {
    const data = readFileSync(file);
    if (data.length === 0) throw new Error('the file is empty');
    return data;
  } catch (err) {
    throw new Error(`${name}: cannot read "${file}": ${(err as Error).message}`, { cause: err });
  }
}

export function readTlsFiles(env: NodeJS.ProcessEnv, certVar: string, keyVar: string): TlsFiles | null {
  const certFile = env[certVar]?.trim() || null;
  const keyFile = env[keyVar]?.trim() || null;
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) {
    const [set, unset] = certFile ? [certVar, keyVar] : [keyVar, certVar];
    throw new Error(`${set} is set but ${unset} is not: HTTPS needs both the certificate (${certVar}) and its key (${keyVar})`);
  }
  const cert = read(certVar, certFile);
  const key = read(keyVar, keyFile);
  try {
    // Fails on a file that is no PEM certificate or key, and on a key that is not the certificate's.
    createSecureContext({ cert, key });
  } catch (err) {
    throw new Error(
      `${certVar} ("${certFile}") and ${keyVar} ("${keyFile}") are not a certificate and its key: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  return { cert, key, certFile, keyFile };
}
