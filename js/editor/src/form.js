// What the form needs beyond the catalog's JSON Schema, derived from the catalog alone.

/** A JSON name from an `invalid-input` error (`media[1].id`, `dailyBudget.amount`) as a path. */
export function fieldPath(field) {
  const path = [];
  for (const match of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) path.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  return path;
}

/**
 * The error schema react-jsonschema-form shows on a field: `{author: {__errors: [message]}}`.
 * Undefined when the field is not one of the form's (the input as a whole): the page shows the
 * error above the form instead.
 */
export function errorSchemaFor(schema, field, message) {
  const path = fieldPath(field);
  if (path.length === 0 || !schema?.properties || !(path[0] in schema.properties)) return undefined;
  const root = {};
  let node = root;
  for (const part of path) {
    node[part] = {};
    node = node[part];
  }
  node.__errors = [message];
  return root;
}

/** A property the form cannot break into fields (an object or array with no shape): JSON text. */
function freeForm(property) {
  return (property.type === 'object' && !property.properties) || (property.type === 'array' && !property.items);
}

/** The ui schema: the catalog's parameter order, JSON text for free-form values, long text areas. */
export function uiSchemaFor(command) {
  const ui = { 'ui:order': [...command.params.map((p) => p.name), '*'], 'ui:submitButtonOptions': { norender: true } };
  for (const [name, property] of Object.entries(command.inputSchema.properties ?? {})) {
    const entry = {};
    if (freeForm(property)) entry['ui:field'] = 'json';
    else if (property.type === 'string' && !property.enum && (property.maxLength >= 1000 || ['text', 'data', 'body'].includes(name))) {
      entry['ui:widget'] = 'textarea';
      entry['ui:options'] = { rows: name === 'text' ? 4 : 3 };
    }
    const example = property.examples?.[0];
    if (example !== undefined && typeof example !== 'object' && !property.enum) entry['ui:placeholder'] = String(example);
    if (Object.keys(entry).length > 0) ui[name] = entry;
  }
  return ui;
}

/** An input made of the examples of the required parameters (and of all, when none is required). */
export function exampleInput(command) {
  const required = command.params.filter((p) => p.required);
  const chosen = required.length > 0 ? required : command.params.slice(0, 1);
  const input = {};
  for (const param of chosen) {
    if (param.example !== undefined && param.example !== null) input[param.name] = JSON.parse(param.example);
  }
  return input;
}
