import { useEffect, useState } from 'react';

function show(value) {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}

/**
 * A value the schema gives no shape to (custom-action's `query`, a post's `media` list), typed
 * as JSON. The text is kept while it does not parse; the form's value changes when it does.
 */
export default function JsonField(props) {
  const { formData, onChange, schema, name, required, rawErrors = [], fieldPathId, disabled, readonly } = props;
  const id = fieldPathId.$id;
  const [text, setText] = useState(show(formData));
  const [problem, setProblem] = useState(undefined);

  useEffect(() => {
    // A value set from outside (Fill example, Clear) replaces the text.
    setText((current) => {
      try {
        if (current.trim() !== '' && JSON.stringify(JSON.parse(current)) === JSON.stringify(formData)) return current;
      } catch {
        // the text being typed does not parse yet
      }
      return current.trim() === '' && formData === undefined ? current : show(formData);
    });
  }, [formData]);

  function edit(event) {
    const next = event.target.value;
    setText(next);
    if (next.trim() === '') {
      setProblem(undefined);
      onChange(undefined, fieldPathId.path);
      return;
    }
    try {
      onChange(JSON.parse(next), fieldPathId.path);
      setProblem(undefined);
    } catch (error) {
      setProblem(`Not JSON yet: ${error.message}`);
    }
  }

  const example = schema.examples?.[0];
  const errors = [...(problem ? [problem] : []), ...rawErrors];
  return (
    <div className="form-group field json-field">
      <label className="control-label" htmlFor={id}>
        {schema.title ?? name}
        {required ? <span className="required">*</span> : null}
        <span className="badge">JSON</span>
      </label>
      {schema.description ? <p className="field-description">{schema.description}</p> : null}
      <textarea
        id={id}
        className="form-control mono"
        rows={Math.min(10, Math.max(3, text.split('\n').length))}
        value={text}
        placeholder={example === undefined ? (schema.type === 'array' ? '[ ]' : '{ }') : JSON.stringify(example)}
        onChange={edit}
        disabled={disabled || readonly}
        spellCheck={false}
      />
      {errors.length > 0 ? (
        <ul id={`${id}__error`} className="error-detail">
          {errors.map((error, i) => (
            <li key={i} className="text-danger">
              {error}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
