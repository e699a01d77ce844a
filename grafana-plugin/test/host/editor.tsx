// The panel editor's options pane, as Grafana's app renders it: each option item's editor (the
// standard editors Grafana registers at start-up, built here from the same @grafana/ui inputs)
// under its category, with its name and description. Text and number inputs commit on blur, as
// Grafana's do.
import React, { useState } from 'react';
import type { DataFrame, StandardEditorProps, StandardEditorsRegistryItem } from '@grafana/data';
import { Field, Input, RadioButtonGroup, Select, Switch } from '@grafana/ui';

type EditorProps = StandardEditorProps<unknown, { options?: Array<{ value: unknown; label: string }> }>;
/** The item's option path (Grafana passes the whole option item to its editor). */
const pathOf = (item: EditorProps['item']) => (item as unknown as { path: string }).path;

function TextEditor({ value, onChange, item }: EditorProps) {
  return (
    <Input
      defaultValue={String(value ?? '')}
      onBlur={(e) => onChange(e.currentTarget.value)}
      data-testid={`editor-input-${pathOf(item)}`}
    />
  );
}

function NumberEditor({ value, onChange, item }: EditorProps) {
  return (
    <Input
      type="number"
      defaultValue={value === undefined ? '' : String(value)}
      onBlur={(e) => {
        const n = e.currentTarget.valueAsNumber;
        onChange(Number.isFinite(n) ? n : undefined);
      }}
      data-testid={`editor-input-${pathOf(item)}`}
    />
  );
}

function RadioEditor({ value, onChange, item }: EditorProps) {
  return <RadioButtonGroup value={value} options={item.settings?.options ?? []} onChange={onChange} />;
}

function SelectEditor({ value, onChange, item }: EditorProps) {
  return (
    <Select
      value={value}
      options={item.settings?.options ?? []}
      onChange={(v) => onChange(v.value)}
      inputId={`editor-select-${pathOf(item)}`}
    />
  );
}

function BooleanEditor({ value, onChange }: EditorProps) {
  return <Switch value={Boolean(value)} onChange={(e) => onChange(e.currentTarget.checked)} />;
}

/** Real editors for the standard editor ids the panel uses; the others stay placeholders. */
export const hostEditors: Record<string, React.ComponentType<EditorProps>> = {
  text: TextEditor,
  number: NumberEditor,
  radio: RadioEditor,
  select: SelectEditor,
  boolean: BooleanEditor,
};

/** `a.b.c` paths, as Grafana's options use them (lodash `set` without lodash). */
export function getPath(o: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
}

export function setPath(o: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) return { ...o, [head]: value };
  return { ...o, [head]: setPath((o[head] as Record<string, unknown>) ?? {}, rest.join('.'), value) };
}

interface Item {
  id: string;
  path: string;
  name: string;
  description?: string;
  category?: string[];
  editor: React.ComponentType<EditorProps>;
  settings?: unknown;
}

export function OptionsPane(props: {
  width: number;
  height: number;
  items: Array<StandardEditorsRegistryItem | Item> | unknown[];
  options: Record<string, unknown>;
  series: DataFrame[];
  onChange: (path: string, value: unknown) => void;
}) {
  const items = props.items as Item[];
  const [open] = useState(true);
  const groups = new Map<string, Item[]>();
  for (const i of items) {
    const cat = i.category?.[0] ?? 'Drift';
    groups.set(cat, [...(groups.get(cat) ?? []), i]);
  }
  return (
    <div
      data-testid="host-options-pane"
      style={{ width: props.width, height: props.height, overflow: 'auto', padding: 8, boxSizing: 'border-box' }}
    >
      {open &&
        [...groups].map(([cat, list]) => (
          <section key={cat} data-testid={`editor-category-${cat}`}>
            <h6>{cat}</h6>
            {list.map((i) => {
              const Editor = i.editor;
              return (
                <div key={i.path} data-testid={`editor-${i.path}`}>
                  <Field label={i.name} description={i.description}>
                    <Editor
                      value={getPath(props.options, i.path)}
                      onChange={(v: unknown) => props.onChange(i.path, v)}
                      item={i as never}
                      context={{ data: props.series, options: props.options } as never}
                    />
                  </Field>
                </div>
              );
            })}
          </section>
        ))}
    </div>
  );
}
