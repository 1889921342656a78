// One connector per datasource (tenant), all sharing the compiled component and its threads;
// secrets stay in the platform and are fetched for every call. The JSON entry point takes
// input straight from a query editor's form; the sender hook routes or records HTTP.

import { createConnector, createDefaultSender, type Connector, type Sender } from 'linkedin-connector';

interface Datasource {
  id: string;
  settings: { linkedinVersion: string; clientId?: string };
}

declare function readSecret(datasource: string, name: 'token' | 'client-secret'): Promise<string | undefined>;

// The default sender (public addresses only, no redirects, bounded time), with a log line per request.
const send = createDefaultSender({ firstByteTimeoutMs: 20_000 });
const logged: Sender = async (request) => {
  const started = Date.now();
  const response = await send(request);
  console.log(`${request.method} ${new URL(request.url).pathname} -> ${response.status} in ${Date.now() - started} ms`);
  return response;
};

const connectors = new Map<string, Promise<Connector>>();

export function connectorFor(datasource: Datasource): Promise<Connector> {
  let connector = connectors.get(datasource.id);
  if (!connector) {
    connector = createConnector({
      accessToken: () => readSecret(datasource.id, 'token'),
      clientSecret: () => readSecret(datasource.id, 'client-secret'),
      settings: datasource.settings,
      sender: logged,
    });
    connectors.set(datasource.id, connector);
  }
  return connector;
}

/** What a query editor's Run button calls: the command's JSON output, or its typed error. */
export async function runQuery(datasource: Datasource, command: string, input: Record<string, unknown>) {
  const li = await connectorFor(datasource);
  const schema = li.describe().commands.find((c) => c.name === command)?.inputSchema;
  if (!schema) throw new Error(`no command ${command}`);
  return li.execute(command, input);
}
