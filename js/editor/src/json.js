// JSON text shown as the component wrote it: indented and coloured from the text itself, never
// parsed into JavaScript numbers (6636062862760562801 stays exact, keys keep their order).

/** Splits JSON text into tokens: strings, numbers, literals, punctuation. */
function tokens(text) {
  const out = [];
  const re = /("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\],:])|(\s+)/gy;
  let match;
  while ((match = re.exec(text)) !== null) {
    if (match[5]) continue;
    if (match[1]) out.push({ type: 'string', text: match[1] });
    else if (match[2]) out.push({ type: 'number', text: match[2] });
    else if (match[3]) out.push({ type: 'literal', text: match[3] });
    else out.push({ type: 'punct', text: match[4] });
  }
  if (re.lastIndex !== 0 && re.lastIndex < text.length) out.push({ type: 'rest', text: text.slice(re.lastIndex) });
  return out;
}

/**
 * The text as indented lines of coloured pieces: {depth, pieces: [{type, text}]} per line, where
 * a string followed by `:` is a key.
 */
export function pretty(text) {
  const list = tokens(text);
  const lines = [];
  let depth = 0;
  let line = { depth, pieces: [] };
  const newline = () => {
    lines.push(line);
    line = { depth, pieces: [] };
  };
  for (let i = 0; i < list.length; i++) {
    const token = list[i];
    const next = list[i + 1];
    if (token.type === 'punct' && (token.text === '{' || token.text === '[')) {
      const close = token.text === '{' ? '}' : ']';
      if (next?.text === close) {
        line.pieces.push({ type: 'punct', text: token.text + close });
        i++;
        continue;
      }
      line.pieces.push(token);
      depth++;
      newline();
    } else if (token.type === 'punct' && (token.text === '}' || token.text === ']')) {
      depth--;
      newline();
      line.pieces.push(token);
    } else if (token.type === 'punct' && token.text === ',') {
      line.pieces.push(token);
      newline();
    } else if (token.type === 'punct' && token.text === ':') {
      line.pieces.push({ type: 'punct', text: ': ' });
    } else if (token.type === 'string' && next?.text === ':') {
      line.pieces.push({ type: 'key', text: token.text });
    } else {
      line.pieces.push(token);
    }
  }
  lines.push(line);
  return lines;
}

/** The value of `"ok"` in execute-json's `{"ok":...}`, as text, or undefined. */
export function okText(envelope) {
  const match = /^\s*\{\s*"ok"\s*:\s*([\s\S]*)\}\s*$/.exec(envelope);
  return match?.[1];
}
