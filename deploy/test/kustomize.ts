// A small kustomize for the manifests' checks, where neither kubectl nor kustomize can be
// installed (no Debian package, no download): resources, components, configMap/secret generators,
// `labels` (without selectors), `images` (newTag) and strategic-merge `patches` with a target
// (kind, name, labelSelector with `key=value` terms). The merge follows Kubernetes' strategic merge
// for what the manifests use: maps merge key by key, lists of objects that all carry a `name`
// merge by name (containers, initContainers, volumes, env, volumeMounts, ports; the patch's items
// first, as kustomize orders them), any other list is
// replaced, and `null` deletes a key. Generated names get no content-hash suffix (kustomize adds
// one and rewrites the references; nothing checked here depends on it).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = any;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const mergesByName = (list: unknown[]) => list.length > 0 && list.every((item) => isMap(item) && 'name' in item);

/** Kubernetes' strategic merge of `patch` into `base` (a new object; neither input changes). */
export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (isMap(base) && isMap(patch)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = key in base ? strategicMerge(base[key], value) : structuredClone(value);
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch) && mergesByName(patch) && (base.length === 0 || mergesByName(base))) {
    // kustomize's order: the patch's items (merged with the base's of the same name), then the
    // base's other items.
    const named = (list: unknown[]) => list as { name: string }[];
    const patched = named(patch).map((item) => {
      const original = named(base).find((b) => b.name === item.name);
      return original ? strategicMerge(original, item) : structuredClone(item);
    });
    const rest = named(base).filter((b) => !named(patch).some((item) => item.name === b.name));
    return [...patched, ...rest.map((item) => structuredClone(item))];
  }
  return structuredClone(patch);
}

export interface Target {
  kind?: string;
  name?: string;
  labelSelector?: string;
}

/** Whether a manifest is selected by a patch target. */
export function matches(manifest: Manifest, target: Target): boolean {
  if (target.kind && manifest.kind !== target.kind) return false;
  if (target.name && manifest.metadata?.name !== target.name) return false;
  for (const term of (target.labelSelector ?? '').split(',').filter(Boolean)) {
    const [key, value] = term.split('=').map((s) => s.trim());
    if (manifest.metadata?.labels?.[key] !== value) return false;
  }
  return true;
}

/** Applies one strategic-merge patch to the manifests its target (or its own kind and name) selects. */
export function applyPatch(manifests: Manifest[], patch: Manifest, target?: Target): Manifest[] {
  const select = target ?? { kind: patch.kind, name: patch.metadata?.name };
  let hits = 0;
  const out = manifests.map((m) => {
    if (!matches(m, select)) return m;
    hits++;
    // A targeted patch applies whatever name it carries.
    const body = target ? { ...patch, metadata: { ...patch.metadata, name: m.metadata.name } } : patch;
    return strategicMerge(m, body);
  });
  if (hits === 0) throw new Error(`patch ${JSON.stringify(select)} selects nothing`);
  return out;
}

const readYaml = (file: string): Manifest[] =>
  parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS())
    .filter(Boolean);

function generated(dir: string, k: Manifest): Manifest[] {
  const entries = (g: Manifest): [string, string][] => [
    ...(g.literals ?? []).map((l: string): [string, string] => [
      l.slice(0, l.indexOf('=')),
      l.slice(l.indexOf('=') + 1),
    ]),
    ...(g.files ?? []).map((f: string): [string, string] => {
      const [key, path] = f.includes('=') ? f.split('=') : [f, f];
      return [key, readFileSync(join(dir, path), 'utf8')];
    }),
  ];
  return [
    ...(k.configMapGenerator ?? []).map((g: Manifest) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: g.name },
      data: Object.fromEntries(entries(g)),
    })),
    ...(k.secretGenerator ?? []).map((g: Manifest) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: g.name },
      data: Object.fromEntries(entries(g).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
    })),
  ];
}

function setImages(manifests: Manifest[], images: { name: string; newTag?: string; newName?: string }[]) {
  const retag = (c: Manifest) => {
    const image = images.find((i) => c.image === i.name || c.image.startsWith(`${i.name}:`));
    if (image) c.image = `${image.newName ?? image.name}${image.newTag ? `:${image.newTag}` : ''}`;
  };
  for (const m of manifests) {
    const pod = m.spec?.template?.spec;
    for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) retag(c);
  }
}

/**
 * The kustomization in `dir` rendered to its manifests. A Component works on what its parent has
 * accumulated so far (`inherited`): its patches reach the parent's resources, as in kustomize.
 */
export function kustomize(dir: string, inherited: Manifest[] = []): Manifest[] {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'));
  let out: Manifest[] = [
    ...inherited,
    ...(k.resources ?? []).flatMap((r: string) =>
      statSync(join(dir, r)).isDirectory() ? kustomize(join(dir, r)) : readYaml(join(dir, r)),
    ),
  ];
  for (const c of k.components ?? []) {
    if (parse(readFileSync(join(dir, c, 'kustomization.yaml'), 'utf8')).kind !== 'Component')
      throw new Error(`${c} is not a kustomize Component`);
    out = kustomize(join(dir, c), out);
  }
  out.push(...generated(dir, k));
  for (const { pairs } of k.labels ?? []) {
    for (const m of out) m.metadata = { ...m.metadata, labels: { ...m.metadata?.labels, ...pairs } };
  }
  setImages(out, k.images ?? []);
  for (const p of k.patches ?? []) {
    const patches = p.path ? readYaml(join(dir, p.path)) : parseAllDocuments(p.patch).map((d) => d.toJS());
    for (const patch of patches) out = applyPatch(out, patch, p.target);
  }
  return out;
}
