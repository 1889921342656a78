import { useEffect, useMemo, useState } from 'react';
import Form from '@rjsf/core';
import { customizeValidator } from '@rjsf/validator-ajv8';
// The catalog's schemas are draft 2020-12: Ajv's 2020 build, not its draft-07 default.
import Ajv2020 from 'ajv/dist/2020';
import JsonField from './JsonField.jsx';
import { errorSchemaFor, exampleInput, uiSchemaFor } from './form.js';
import { okText, pretty } from './json.js';

const validator = customizeValidator({ AjvClass: Ajv2020 });
const fields = { json: JsonField };

function JsonView({ text, label }) {
  const lines = useMemo(() => pretty(text), [text]);
  const [copied, setCopied] = useState(false);
  return (
    <div className="json-view">
      <button
        type="button"
        className="btn-ghost copy"
        onClick={() => {
          navigator.clipboard?.writeText(text).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1200);
          });
        }}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
      <pre aria-label={label} data-testid="output-json">
        {lines.map((line, i) => (
          // A wrapped line continues under its own indentation, two columns further in.
          <div key={i} className="json-line" style={{ paddingLeft: `${line.depth * 2 + 2}ch` }}>
            {line.pieces.map((piece, j) => (
              <span key={j} className={`j-${piece.type}`}>
                {piece.text}
              </span>
            ))}
          </div>
        ))}
      </pre>
    </div>
  );
}

const PAYLOAD_LABELS = {
  field: 'Field',
  status: 'HTTP status',
  serviceErrorCode: 'Service error code',
  code: 'Code',
  requiredScopes: 'Required scopes',
  existingId: 'Existing post',
  scope: 'Limit',
  retryAfterSeconds: 'Retry after (s)',
  version: 'LinkedIn-Version',
  reason: 'Reason',
  mediaUrn: 'Media',
  failureReason: 'Failure reason',
};

function ErrorPanel({ error }) {
  const rows = Object.entries(error).filter(([k, v]) => k !== 'kind' && k !== 'message' && k !== 'body' && v !== null);
  return (
    <div className="error-panel" role="alert" data-testid="error-panel" data-kind={error.kind}>
      <div className="error-kind">{error.kind}</div>
      <p className="error-message">{error.message}</p>
      {rows.length > 0 ? (
        <dl className="payload">
          {rows.map(([key, value]) => (
            <div key={key}>
              <dt>{PAYLOAD_LABELS[key] ?? key}</dt>
              <dd className="mono">{Array.isArray(value) ? value.join(', ') : String(value)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </div>
  );
}

function Sidebar({ commands, selected, onSelect }) {
  const [filter, setFilter] = useState('');
  const shown = commands.filter((c) => `${c.name} ${c.title}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <nav className="sidebar" aria-label="Commands">
      <input
        className="search"
        type="search"
        placeholder={`Search ${commands.length} commands`}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        aria-label="Search commands"
      />
      <ul>
        {shown.map((command) => (
          <li key={command.name}>
            <button
              type="button"
              data-command={command.name}
              className={command.name === selected ? 'command active' : 'command'}
              aria-current={command.name === selected ? 'page' : undefined}
              onClick={() => onSelect(command.name)}
            >
              <span className="command-title">{command.title}</span>
              <span className="command-name mono">{command.name}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Result({ result }) {
  if (!result) {
    return (
      <div className="result empty" data-testid="result-empty">
        Run the command to see LinkedIn's answer as the connector returns it.
      </div>
    );
  }
  if (result.failure) {
    return (
      <div className="result" data-testid="result">
        <div className="result-head">
          <span className="pill pill-error">Host error</span>
        </div>
        <p className="error-message">{result.failure}</p>
      </div>
    );
  }
  const { envelope, text, ms } = result;
  const ok = 'ok' in envelope;
  return (
    <div className="result" data-testid="result" data-outcome={ok ? 'ok' : 'error'}>
      <div className="result-head">
        <span className={ok ? 'pill pill-ok' : 'pill pill-error'}>{ok ? 'OK' : envelope.error.kind}</span>
        <span className="muted">{ms} ms</span>
      </div>
      {ok ? <JsonView text={okText(text) ?? JSON.stringify(envelope.ok)} label="Output" /> : <ErrorPanel error={envelope.error} />}
      {!ok ? (
        <details className="raw-error">
          <summary>Error as JSON</summary>
          <JsonView text={JSON.stringify(envelope.error)} label="Error" />
        </details>
      ) : null}
    </div>
  );
}

export default function App() {
  const [info, setInfo] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [selected, setSelected] = useState(() => decodeURIComponent(location.hash.slice(1)) || null);
  const [inputs, setInputs] = useState({});
  const [result, setResult] = useState(null);
  const [running, setRunning] = useState(false);

  useEffect(() => {
    fetch('/api/catalog')
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((data) => {
        setInfo(data);
        setSelected((current) => (data.catalog.commands.some((c) => c.name === current) ? current : data.catalog.commands[0].name));
      })
      .catch((error) => setLoadError(String(error.message ?? error)));
  }, []);

  useEffect(() => {
    const onHash = () => {
      const name = decodeURIComponent(location.hash.slice(1));
      if (name) setSelected(name);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const command = info?.catalog.commands.find((c) => c.name === selected);
  const uiSchema = useMemo(() => (command ? uiSchemaFor(command) : {}), [command]);
  const formData = inputs[selected] ?? {};
  const error = result?.envelope && 'error' in result.envelope ? result.envelope.error : undefined;
  const extraErrors =
    error?.kind === 'invalid-input' && result.command === selected
      ? errorSchemaFor(command.inputSchema, error.field, error.message)
      : undefined;

  function select(name) {
    setSelected(name);
    setResult(null);
    history.replaceState(null, '', `#${name}`);
  }

  async function run(data) {
    setRunning(true);
    const started = performance.now();
    try {
      const response = await fetch('/api/run', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ command: selected, input: data ?? {} }),
      });
      const text = await response.text();
      if (!response.ok) {
        setResult({ command: selected, failure: JSON.parse(text).message ?? `HTTP ${response.status}` });
        return;
      }
      const ms = Number(response.headers.get('x-duration-ms') ?? Math.round(performance.now() - started));
      setResult({ command: selected, envelope: JSON.parse(text), text, ms });
    } catch (failure) {
      setResult({ command: selected, failure: String(failure.message ?? failure) });
    } finally {
      setRunning(false);
    }
  }

  if (loadError) return <div className="fatal">The editor could not load the connector's catalog: {loadError}</div>;
  if (!info || !command) return <div className="loading">Loading the connector…</div>;

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            in
          </span>
          <div>
            <div className="brand-name">LinkedIn connector</div>
            <div className="brand-sub">Query editor · v{info.catalog.version}</div>
          </div>
        </div>
        <div className="topbar-right">
          <span className="muted">LinkedIn-Version {info.linkedinVersion}</span>
          {info.mode === 'live' ? (
            <span className="mode mode-live" title="Calls go to LinkedIn with LINKEDIN_ACCESS_TOKEN">
              Live
            </span>
          ) : (
            <span className="mode mode-recorded" title="Every LinkedIn call is answered from the fixtures; set LINKEDIN_ACCESS_TOKEN to go live">
              Recorded answers
            </span>
          )}
        </div>
      </header>
      <div className="layout">
        <Sidebar commands={info.catalog.commands} selected={selected} onSelect={select} />
        <main className="main">
          <section className="card command-card">
            <div className="command-head">
              <h1 data-testid="command-title">{command.title}</h1>
              <code className="chip">{command.name}</code>
            </div>
            <p className="description">{command.description}</p>
            <div className="meta">
              {command.scopes.length > 0 ? (
                <div>
                  <span className="meta-label">Scopes</span>
                  {command.scopes.map((scope) => (
                    <code key={scope} className="chip chip-scope">
                      {scope}
                    </code>
                  ))}
                </div>
              ) : null}
              <div>
                <span className="meta-label">Calls</span>
                {command.linkedinCalls.map((call) => (
                  <code key={call} className="chip chip-call">
                    {call}
                  </code>
                ))}
              </div>
            </div>
          </section>
          <div className="columns">
            <section className="card form-card">
              <h2>Input</h2>
              {error && error.kind === 'invalid-input' && !extraErrors && result.command === selected ? (
                <p className="form-error text-danger">{error.message}</p>
              ) : null}
              <Form
                key={command.name}
                schema={command.inputSchema}
                uiSchema={uiSchema}
                fields={fields}
                validator={validator}
                formData={formData}
                extraErrors={extraErrors}
                showErrorList={false}
                noHtml5Validate
                onChange={(event) => setInputs((all) => ({ ...all, [selected]: event.formData }))}
                onSubmit={(event) => run(event.formData)}
              >
                <div className="actions">
                  <button type="submit" className="btn btn-primary" disabled={running} data-testid="run">
                    {running ? 'Running…' : 'Run'}
                  </button>
                  <button
                    type="button"
                    className="btn"
                    onClick={() => setInputs((all) => ({ ...all, [selected]: exampleInput(command) }))}
                  >
                    Fill example
                  </button>
                  <button type="button" className="btn btn-ghost" onClick={() => setInputs((all) => ({ ...all, [selected]: {} }))}>
                    Clear
                  </button>
                </div>
              </Form>
            </section>
            <section className="card result-card">
              <h2>Output</h2>
              <Result result={result?.command === selected ? result : null} />
            </section>
          </div>
        </main>
      </div>
    </div>
  );
}
