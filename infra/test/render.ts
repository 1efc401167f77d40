/**
 * Renders the kustomize overlays for the tests: with the real `kubectl kustomize` when kubectl is on
 * PATH, else with a small renderer of the kustomize features infra/k8s uses, so the tests also run
 * offline on a laptop without kubectl. Where both run, a test proves they agree object for object.
 *
 * The renderer supports `resources` (files and kustomization directories), `components` (kind
 * Component), `configMapGenerator` (`envs`, `literals`, `behavior`, `options.labels/annotations`)
 * with kustomize's name hash suffix and the rewrite of references to the generated names,
 * `namespace`, `images`, and `patches` that are strategic-merge patches naming their target by kind
 * and name (`$patch: delete` included). Anything else in a kustomization throws, so a manifest never
 * relies on a feature this renderer would silently skip.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

interface PatchEntry {
  path?: string;
  patch?: string;
}

interface ConfigMapGeneratorEntry {
  name: string;
  behavior?: 'create' | 'merge' | 'replace';
  envs?: string[];
  literals?: string[];
  options?: { labels?: Record<string, string>; annotations?: Record<string, string>; disableNameSuffixHash?: boolean };
}

interface Kustomization {
  kind?: string;
  resources?: string[];
  components?: string[];
  namespace?: string;
  images?: ImageRule[];
  patches?: PatchEntry[];
  configMapGenerator?: ConfigMapGeneratorEntry[];
}

const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'components',
  'namespace',
  'images',
  'patches',
  'configMapGenerator',
]);
const GENERATOR_FIELDS = new Set(['name', 'behavior', 'envs', 'literals', 'options']);
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
]);
/** Kinds whose pod template may name a ConfigMap (kustomize's nameReference rewrites them). */
const POD_TEMPLATE_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

/** What a kustomization has accumulated: its objects and which ConfigMaps a generator made (hash pending). */
interface Accumulated {
  objects: K8sObject[];
  /** Names of generated ConfigMaps that get kustomize's hash suffix at the end of the build. */
  hashed: Set<string>;
}

/** Renders the kustomization in `dir` the way `kubectl kustomize dir` does (for the supported subset). */
export function render(dir: string): K8sObject[] {
  const { objects, hashed } = accumulate(dir, 'Kustomization', { objects: [], hashed: new Set() });
  // As kustomize: the suffixes come last, once every generator and patch has run, then references follow.
  const renamed = new Map<string, string>();
  const suffixed = objects.map((o) => {
    if (o.apiVersion !== 'v1' || o.kind !== 'ConfigMap' || !hashed.has(o.metadata.name)) return o;
    const name = `${o.metadata.name}-${configMapHash(o as { data?: Record<string, string> })}`;
    renamed.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, name);
    return { ...o, metadata: { ...o.metadata, name } };
  });
  return suffixed.map((o) =>
    POD_TEMPLATE_KINDS.has(o.kind)
      ? renameConfigMapRefs(o, (name) => renamed.get(`${o.metadata.namespace ?? ''}/${name}`))
      : o,
  );
}

/**
 * Where kubectl is, if it is on PATH (it is on the CI machines, maybe not on a laptop).
 * `INBOX_TEST_KUBECTL=off` pretends it is not, to run the tests as a laptop without it would.
 */
export function findKubectl(path = process.env.PATH ?? '', env = process.env): string | undefined {
  if (env.INBOX_TEST_KUBECTL === 'off') return undefined;
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'kubectl');
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** `kubectl kustomize dir`, parsed. */
export function renderWithKubectl(dir: string, kubectl: string): K8sObject[] {
  const out = execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseYamlStream(out, `kubectl kustomize ${dir}`).map((doc) => asObject(doc, `kubectl kustomize ${dir}`));
}

/** Renders with kubectl when it is on PATH, else with `render`; says which did. */
export function kustomize(
  dir: string,
  kubectl = findKubectl(),
): { renderer: 'kubectl' | 'render.ts'; objects: K8sObject[] } {
  return kubectl
    ? { renderer: 'kubectl', objects: renderWithKubectl(dir, kubectl) }
    : { renderer: 'render.ts', objects: render(dir) };
}

/**
 * kustomize's name suffix for a generated ConfigMap (api/hasher/hasher.go): sha256 of Go's JSON of
 * `{data, kind, name}` (keys sorted; `binaryData` too when present), first 10 hex digits with 0 1 3 a e
 * swapped for g h k m t so no suffix reads as a number or a word. The name it hashes is empty: kustomize
 * looks it up as the single field "metadata/name", which no ConfigMap has, so only the data counts.
 */
export function configMapHash(configMap: {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}): string {
  const encoded: Record<string, unknown> = {
    data: configMap.data ? sortKeys(configMap.data) : '',
    kind: 'ConfigMap',
    name: '',
  };
  if (configMap.binaryData) encoded.binaryData = sortKeys(configMap.binaryData);
  const hex = createHash('sha256')
    .update(goJson(sortKeys(encoded)))
    .digest('hex');
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => swap[c] ?? c).join('');
}

/** JSON as Go's encoding/json writes it: like JSON.stringify, but with <, >, &, U+2028 and U+2029 escaped. */
function goJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (/\[bf]/.test(json))
    throw new Error('backspace or form feed in a ConfigMap value: Go versions escape them differently');
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeys<T>(map: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(map)
      .sort()
      .map((key) => [key, map[key] as T]),
  );
}

function accumulate(dir: string, kind: 'Kustomization' | 'Component', into: Accumulated): Accumulated {
  const kustomization = loadKustomization(dir, kind);
  let { objects } = into;
  const hashed = new Set(into.hashed);
  for (const entry of kustomization.resources ?? []) {
    const loaded = loadResource(dir, entry);
    objects = [...objects, ...loaded.objects];
    for (const name of loaded.hashed) hashed.add(name);
  }
  assertUniqueIds(objects, dir);
  // Components see (and may change) everything accumulated so far, before this kustomization's own
  // generators and transformers run.
  let state: Accumulated = { objects, hashed };
  for (const entry of kustomization.components ?? []) state = accumulate(resolve(dir, entry), 'Component', state);
  ({ objects } = state);
  const hashedNow = new Set(state.hashed);
  for (const generator of kustomization.configMapGenerator ?? []) {
    objects = generateConfigMap(dir, generator, objects, hashedNow);
  }
  for (const entry of kustomization.patches ?? []) {
    objects = applyPatch(objects, readPatch(dir, entry));
  }
  const namespace = kustomization.namespace;
  if (namespace) {
    objects = objects.map((o) =>
      CLUSTER_SCOPED_KINDS.has(o.kind) ? o : { ...o, metadata: { ...o.metadata, namespace } },
    );
  }
  for (const rule of kustomization.images ?? []) {
    objects = objects.map((o) => retagImages(o, rule));
  }
  return { objects, hashed: hashedNow };
}

function generateConfigMap(
  dir: string,
  entry: ConfigMapGeneratorEntry,
  objects: K8sObject[],
  hashed: Set<string>,
): K8sObject[] {
  const unsupported = Object.keys(entry).filter((key) => !GENERATOR_FIELDS.has(key));
  if (unsupported.length > 0)
    throw new Error(`${dir}: configMapGenerator fields this renderer does not implement: ${unsupported.join(', ')}`);
  const data: Record<string, string> = {};
  for (const file of entry.envs ?? [])
    Object.assign(data, parseEnvFile(readFileSync(resolve(dir, file), 'utf8'), resolve(dir, file)));
  for (const literal of entry.literals ?? []) {
    const [key, value] = splitPair(literal, `${dir}: literal "${literal}"`);
    data[key] = /^(["']).*\1$/s.test(value) ? value.slice(1, -1) : value;
  }
  const { labels, annotations, disableNameSuffixHash } = entry.options ?? {};
  const behavior = entry.behavior ?? 'create';
  const at = objects.findIndex(
    (o) => o.apiVersion === 'v1' && o.kind === 'ConfigMap' && o.metadata.name === entry.name,
  );
  if (behavior === 'create') {
    if (at !== -1) throw new Error(`${dir}: ConfigMap ${entry.name} already exists (use behavior: merge or replace)`);
    if (!disableNameSuffixHash) hashed.add(entry.name);
    const metadata: K8sObject['metadata'] = {
      name: entry.name,
      ...(labels && { labels }),
      ...(annotations && { annotations }),
    };
    return [...objects, { apiVersion: 'v1', kind: 'ConfigMap', metadata, data }];
  }
  if (at === -1) throw new Error(`${dir}: ConfigMap ${entry.name} to ${behavior} does not exist`);
  const existing = objects[at] as K8sObject & { data?: Record<string, string> };
  const merged: K8sObject = {
    ...existing,
    metadata: {
      ...existing.metadata,
      ...((labels ?? existing.metadata.labels) && { labels: { ...existing.metadata.labels, ...labels } }),
      ...((annotations ?? existing.metadata.annotations) && {
        annotations: { ...existing.metadata.annotations, ...annotations },
      }),
    },
    data: behavior === 'merge' ? { ...existing.data, ...data } : data,
  };
  if (disableNameSuffixHash) hashed.delete(entry.name);
  return objects.map((o, i) => (i === at ? merged : o));
}

/**
 * A kustomize env file: `KEY=value` lines, the value verbatim (no unquoting), blank lines and lines
 * starting with `#` skipped. A line without `=` would take its value from kustomize's own environment:
 * refused, so the output never depends on who renders it.
 */
export function parseEnvFile(text: string, source: string): Record<string, string> {
  const data: Record<string, string> = {};
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const [key, value] = splitPair(line, `${source}:${i + 1}`);
    data[key] = value;
  });
  return data;
}

function splitPair(text: string, where: string): [string, string] {
  const at = text.indexOf('=');
  if (at === -1) throw new Error(`${where}: expected KEY=value`);
  const key = text.slice(0, at);
  if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) throw new Error(`${where}: "${key}" is not a valid ConfigMap key`);
  return [key, text.slice(at + 1)];
}

/** Points every ConfigMap reference of a pod template (envFrom, env, volumes, projected volumes) at its new name. */
function renameConfigMapRefs<T>(value: T, rename: (name: string) => string | undefined, field = ''): T {
  if (Array.isArray(value)) return value.map((v: unknown) => renameConfigMapRefs(v, rename, field)) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (
      ['configMapRef', 'configMapKeyRef', 'configMap'].includes(key) &&
      isPlainObject(child) &&
      typeof child.name === 'string'
    ) {
      const name = rename(child.name);
      out[key] = name ? { ...child, name } : child;
    } else {
      out[key] = renameConfigMapRefs(child, rename, key);
    }
  }
  return out as T;
}

/** Parses every document of a YAML stream as Kubernetes' YAML 1.1 reader would (`yes` is a boolean). */
export function parseYamlStream(text: string, source: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1' }).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

function loadKustomization(dir: string, kind: 'Kustomization' | 'Component'): Kustomization {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir}: no kustomization.yaml`);
  const [doc] = parseYamlStream(readFileSync(file, 'utf8'), file);
  if (!isPlainObject(doc)) throw new Error(`${file}: not a mapping`);
  const unsupported = Object.keys(doc).filter((key) => !SUPPORTED_FIELDS.has(key));
  if (unsupported.length > 0)
    throw new Error(`${file}: fields this renderer does not implement: ${unsupported.join(', ')}`);
  // kustomize: a Component only under `components`, a Kustomization (the default kind) never there.
  if ((doc.kind ?? 'Kustomization') !== kind)
    throw new Error(`${file}: expected kind ${kind}, found ${String(doc.kind)}`);
  return doc as Kustomization;
}

function loadResource(dir: string, entry: string): Accumulated {
  if (/^[a-z]+:\/\//i.test(entry)) throw new Error(`${dir}: remote resource ${entry} is not supported`);
  const path = resolve(dir, entry);
  if (statSync(path).isDirectory()) return accumulate(path, 'Kustomization', { objects: [], hashed: new Set() });
  return {
    objects: parseYamlStream(readFileSync(path, 'utf8'), path).map((doc) => asObject(doc, path)),
    hashed: new Set(),
  };
}

function readPatch(dir: string, entry: PatchEntry): K8sObject {
  const unsupported = Object.keys(entry).filter((key) => key !== 'path' && key !== 'patch');
  if (unsupported.length > 0)
    throw new Error(`${dir}: patch fields this renderer does not implement: ${unsupported.join(', ')}`);
  const source = entry.path ? resolve(dir, entry.path) : `${dir} (inline patch)`;
  const text = entry.path ? readFileSync(source, 'utf8') : (entry.patch ?? '');
  const docs = parseYamlStream(text, source);
  // kustomize's `patches` takes one patch per entry; several documents in one file fail there.
  if (docs.length !== 1) throw new Error(`${source}: a patch must hold exactly one document, found ${docs.length}`);
  return asObject(docs[0], source);
}

function applyPatch(objects: K8sObject[], patch: K8sObject): K8sObject[] {
  const targets = (o: K8sObject) =>
    o.apiVersion === patch.apiVersion && o.kind === patch.kind && o.metadata.name === patch.metadata.name;
  if (!objects.some(targets))
    throw new Error(`patch target not found: ${patch.apiVersion} ${patch.kind} ${patch.metadata.name}`);
  // `$patch: delete` at the top removes the object (kustomize's way for an overlay or component to drop one).
  if (patch.$patch === 'delete') return objects.filter((o) => !targets(o));
  return objects.map((o) => (targets(o) ? (strategicMerge(o, patch) as K8sObject) : o));
}

/**
 * Kubernetes' strategic merge for the fields manifests patch: maps merge key by key, `null`
 * deletes a key, lists of named things (containers, env, volumes, ports…) merge item by item on
 * their merge key, and every other list is replaced whole.
 */
export function strategicMerge(base: unknown, patch: unknown, field = ''): unknown {
  if (isPlainObject(base) && isPlainObject(patch)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith('$')) throw new Error(`strategic merge directive ${key} is not supported`);
      if (value === null) delete merged[key];
      else merged[key] = key in base ? strategicMerge(base[key], value, key) : value;
    }
    return merged;
  }
  if (Array.isArray(base) && Array.isArray(patch)) {
    const key = mergeKey(field, [...base, ...patch]);
    if (!key) return patch;
    const merged = [...base];
    for (const item of patch) {
      const at = merged.findIndex(
        (existing) => isPlainObject(existing) && isPlainObject(item) && existing[key] === item[key],
      );
      if (at === -1) merged.push(item);
      else merged[at] = strategicMerge(merged[at], item);
    }
    return merged;
  }
  return patch;
}

/** The patchMergeKey Kubernetes declares for a list field, or undefined for lists replaced whole. */
function mergeKey(field: string, items: unknown[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'topologySpreadConstraints':
      return 'topologyKey';
    case 'ports':
      // Container ports merge on containerPort, Service ports on port.
      return items.some((item) => isPlainObject(item) && 'containerPort' in item) ? 'containerPort' : 'port';
    default:
      return undefined;
  }
}

/** kustomize's `images`: rewrites every container image whose name (without tag or digest) is `rule.name`. */
export function retagImages<T>(value: T, rule: ImageRule): T {
  if (Array.isArray(value)) return value.map((v: unknown) => retagImages(v, rule)) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(child)) {
      out[key] = child.map((c: unknown) =>
        isPlainObject(c) && typeof c.image === 'string' ? { ...c, image: rewriteImage(c.image, rule) } : c,
      );
    } else {
      out[key] = retagImages(child, rule);
    }
  }
  return out as T;
}

function rewriteImage(image: string, rule: ImageRule): string {
  const ref = parseImage(image);
  if (ref.name !== rule.name) return image;
  const name = rule.newName ?? ref.name;
  if (rule.digest) return `${name}@${rule.digest}`;
  if (rule.newTag) return `${name}:${rule.newTag}`;
  const kept = image.slice(ref.name.length); // the original ":tag", "@digest" or both
  return name + kept;
}

/** Splits `registry:5000/repo/name:tag@sha256:…` into name, tag and digest. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest = '', digest] = image.split('@', 2);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const name = colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
  const tag = colon === -1 ? undefined : withoutDigest.slice(colon + 1);
  return { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

function assertUniqueIds(objects: K8sObject[], dir: string): void {
  const seen = new Set<string>();
  for (const o of objects) {
    const id = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(id)) throw new Error(`${dir}: ${id} is defined twice`);
    seen.add(id);
  }
}

function asObject(doc: unknown, source: string): K8sObject {
  if (!isPlainObject(doc) || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') {
    throw new Error(`${source}: every document needs apiVersion and kind`);
  }
  const metadata = doc.metadata;
  if (!isPlainObject(metadata) || typeof metadata.name !== 'string')
    throw new Error(`${source}: ${doc.kind} without metadata.name`);
  return doc as K8sObject;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
