import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configMapHash,
  findKubectl,
  parseEnvFile,
  parseImage,
  parseYamlStream,
  render,
  retagImages,
  strategicMerge,
} from './render.js';

describe('strategicMerge', () => {
  const deployment = {
    spec: {
      replicas: 2,
      template: {
        spec: {
          containers: [
            {
              name: 'api',
              image: 'api',
              env: [{ name: 'A', value: '1' }],
              resources: { requests: { cpu: '1' }, limits: { cpu: '2' } },
            },
            { name: 'sidecar', image: 'proxy' },
          ],
        },
      },
    },
  };

  it('merges containers by name, keeps the others, and merges maps key by key', () => {
    const merged = strategicMerge(deployment, {
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'api', resources: { limits: { cpu: '4' } } }] } } },
    });
    expect(merged).toEqual({
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [
              {
                name: 'api',
                image: 'api',
                env: [{ name: 'A', value: '1' }],
                resources: { requests: { cpu: '1' }, limits: { cpu: '4' } },
              },
              { name: 'sidecar', image: 'proxy' },
            ],
          },
        },
      },
    });
  });

  it('merges env by name (adding new entries), deletes keys patched to null, replaces plain lists', () => {
    const merged = strategicMerge(
      { env: [{ name: 'A', value: '1' }], args: ['--a', '--b'], drop: 'x' },
      {
        env: [
          { name: 'A', value: '2' },
          { name: 'B', value: '3' },
        ],
        args: ['--c'],
        drop: null,
      },
      '',
    );
    expect(merged).toEqual({
      env: [
        { name: 'A', value: '2' },
        { name: 'B', value: '3' },
      ],
      args: ['--c'],
    });
  });

  it('merges container ports on containerPort and Service ports on port', () => {
    expect(
      strategicMerge(
        { ports: [{ containerPort: 3000, name: 'http' }] },
        { ports: [{ containerPort: 3000, protocol: 'TCP' }] },
      ),
    ).toEqual({
      ports: [{ containerPort: 3000, name: 'http', protocol: 'TCP' }],
    });
    expect(
      strategicMerge({ ports: [{ port: 80, targetPort: 'http' }] }, { ports: [{ port: 443, targetPort: 'https' }] }),
    ).toEqual({
      ports: [
        { port: 80, targetPort: 'http' },
        { port: 443, targetPort: 'https' },
      ],
    });
  });

  it('refuses $patch directives it does not implement', () => {
    expect(() => strategicMerge({ a: [] }, { $patch: 'replace' })).toThrow(/not supported/);
  });
});

describe('images', () => {
  it('parses names with registry ports, tags and digests', () => {
    expect(parseImage('inbox-api')).toEqual({ name: 'inbox-api' });
    expect(parseImage('registry:5000/team/api:1.2.3')).toEqual({ name: 'registry:5000/team/api', tag: '1.2.3' });
    expect(parseImage('api@sha256:abc')).toEqual({ name: 'api', digest: 'sha256:abc' });
  });

  it('retags only the containers whose image name matches', () => {
    const pod = {
      spec: {
        initContainers: [{ image: 'inbox-api:old' }],
        containers: [{ image: 'inbox-api' }, { image: 'other:1' }],
      },
    };
    expect(retagImages(pod, { name: 'inbox-api', newName: 'reg/api', newTag: '2.0.0' })).toEqual({
      spec: {
        initContainers: [{ image: 'reg/api:2.0.0' }],
        containers: [{ image: 'reg/api:2.0.0' }, { image: 'other:1' }],
      },
    });
    expect(retagImages(pod, { name: 'other', newName: 'reg/other' }).spec.containers[1]).toEqual({
      image: 'reg/other:1',
    });
  });
});

describe('render', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'render-'));
    mkdirSync(join(dir, 'base'));
    mkdirSync(join(dir, 'overlay'));
    writeFileSync(join(dir, 'base/kustomization.yaml'), 'resources: [app.yaml]\n');
    writeFileSync(
      join(dir, 'base/app.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {A: "1"}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {replicas: 1, template: {spec: {containers: [{name: app, image: app}]}}}\n',
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the base, patches by kind and name, then sets the namespace and the image tag', () => {
    writeFileSync(
      join(dir, 'overlay/kustomization.yaml'),
      'namespace: prod\nresources: [../base]\nimages: [{name: app, newTag: "1.0.0"}]\npatches: [{path: replicas.yaml}]\n',
    );
    writeFileSync(
      join(dir, 'overlay/replicas.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {replicas: 4}\n',
    );
    const objects = render(join(dir, 'overlay'));
    expect(objects.map((o) => [o.kind, o.metadata.namespace])).toEqual([
      ['ConfigMap', 'prod'],
      ['Deployment', 'prod'],
    ]);
    expect(objects[1]).toMatchObject({
      spec: { replicas: 4, template: { spec: { containers: [{ name: 'app', image: 'app:1.0.0' }] } } },
    });
  });

  it('fails on a patch whose target does not exist, as kustomize does', () => {
    writeFileSync(join(dir, 'overlay/kustomization.yaml'), 'resources: [../base]\npatches: [{path: p.yaml}]\n');
    writeFileSync(
      join(dir, 'overlay/p.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: missing}\nspec: {replicas: 4}\n',
    );
    expect(() => render(join(dir, 'overlay'))).toThrow(/patch target not found: apps\/v1 Deployment missing/);
  });

  it('fails on several patches in one `patches` file, which kustomize rejects', () => {
    writeFileSync(join(dir, 'overlay/kustomization.yaml'), 'resources: [../base]\npatches: [{path: p.yaml}]\n');
    writeFileSync(
      join(dir, 'overlay/p.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n',
    );
    expect(() => render(join(dir, 'overlay'))).toThrow(/exactly one document, found 2/);
  });

  it('fails on kustomization fields it does not implement instead of skipping them', () => {
    writeFileSync(join(dir, 'overlay/kustomization.yaml'), 'resources: [../base]\nnamePrefix: dev-\n');
    expect(() => render(join(dir, 'overlay'))).toThrow(/does not implement: namePrefix/);
  });

  it('fails on an object defined twice', () => {
    writeFileSync(join(dir, 'overlay/kustomization.yaml'), 'resources: [../base, ../base/app.yaml]\n');
    expect(() => render(join(dir, 'overlay'))).toThrow(/defined twice/);
  });
});

describe('configMapGenerator', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'render-'));
    for (const sub of ['base', 'overlay', 'component']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'base/config.env'), '# a comment\n\n  A=1\nB={x}\nC=a=b "quoted"\n');
    writeFileSync(
      join(dir, 'base/kustomization.yaml'),
      'resources: [app.yaml]\nconfigMapGenerator:\n  - name: cfg\n    envs: [config.env]\n    options: {labels: {app: cfg}}\n',
    );
    writeFileSync(
      join(dir, 'base/app.yaml'),
      [
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {template: {spec: {',
        '  containers: [{name: app, image: app, envFrom: [{configMapRef: {name: cfg}}, {configMapRef: {name: other}}],',
        '    env: [{name: X, valueFrom: {configMapKeyRef: {name: cfg, key: A}}}]}],',
        '  volumes: [{name: v, configMap: {name: cfg}}]}}}\n',
      ].join('\n'),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("hashes as kustomize does (values checked against kubectl kustomize 5.5's output)", () => {
    // `configMapGenerator: [{name: cfg, literals: [A=1]}]` renders `cfg-89g4tffbfk`; the name is not hashed.
    expect(configMapHash({ data: { A: '1' } })).toBe('89g4tffbfk');
    expect(configMapHash({ data: { A: '1' } })).not.toBe(configMapHash({ data: { A: '2' } }));
  });

  it('reads env files verbatim, names the ConfigMap by its hash and points every reference at it', () => {
    const objects = render(join(dir, 'base'));
    const [configMap, app] = ['ConfigMap', 'Deployment'].map((kind) => objects.find((o) => o.kind === kind));
    // The name kubectl kustomize 5.5 gives this ConfigMap.
    expect(configMap).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg-29k849ktbg', labels: { app: 'cfg' } },
      data: { A: '1', B: '{x}', C: 'a=b "quoted"' },
    });
    const name = configMap!.metadata.name;
    expect(app).toMatchObject({
      spec: {
        template: {
          spec: {
            containers: [
              {
                envFrom: [{ configMapRef: { name } }, { configMapRef: { name: 'other' } }],
                env: [{ valueFrom: { configMapKeyRef: { name, key: 'A' } } }],
              },
            ],
            volumes: [{ configMap: { name } }],
          },
        },
      },
    });
  });

  it("merges an overlay's literals (unquoted) into the base ConfigMap, and the hash follows the merged data", () => {
    writeFileSync(
      join(dir, 'overlay/kustomization.yaml'),
      'namespace: ns\nresources: [../base]\nconfigMapGenerator:\n  - {name: cfg, behavior: merge, literals: [A=2, "D=\'d\'"]}\n',
    );
    const objects = render(join(dir, 'overlay'));
    const [configMap, app] = ['ConfigMap', 'Deployment'].map((kind) => objects.find((o) => o.kind === kind));
    const data = { A: '2', B: '{x}', C: 'a=b "quoted"', D: 'd' };
    // The name kubectl kustomize 5.5 gives this ConfigMap.
    expect(configMap).toMatchObject({
      metadata: { name: 'cfg-h62mh255mb', namespace: 'ns', labels: { app: 'cfg' } },
      data,
    });
    expect(JSON.stringify(app)).toContain(`"name":"${configMap!.metadata.name}"`);
  });

  it('refuses a second create, a merge into nothing, and an env line without =', () => {
    writeFileSync(
      join(dir, 'overlay/kustomization.yaml'),
      'resources: [../base]\nconfigMapGenerator: [{name: cfg, literals: [A=2]}]\n',
    );
    expect(() => render(join(dir, 'overlay'))).toThrow(/already exists/);
    writeFileSync(
      join(dir, 'overlay/kustomization.yaml'),
      'resources: [../base]\nconfigMapGenerator: [{name: x, behavior: merge}]\n',
    );
    expect(() => render(join(dir, 'overlay'))).toThrow(/does not exist/);
    expect(() => parseEnvFile('A=1\nFROM_MY_SHELL\n', 'f.env')).toThrow(/f.env:2: expected KEY=value/);
  });

  it('applies components after the resources: they add objects and delete others with $patch: delete', () => {
    writeFileSync(
      join(dir, 'component/kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [extra.yaml]\npatches: [{path: drop.yaml}]\n',
    );
    writeFileSync(join(dir, 'component/extra.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: extra}\n');
    writeFileSync(
      join(dir, 'component/drop.yaml'),
      '$patch: delete\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\n',
    );
    writeFileSync(
      join(dir, 'overlay/kustomization.yaml'),
      'namespace: ns\nresources: [../base]\ncomponents: [../component]\n',
    );
    expect(render(join(dir, 'overlay')).map((o) => `${o.kind}/${o.metadata.namespace}`)).toEqual([
      'ConfigMap/ns',
      'Service/ns',
    ]);
    // A Component is not a resource, nor a Kustomization a component.
    writeFileSync(join(dir, 'overlay/kustomization.yaml'), 'resources: [../base, ../component]\n');
    expect(() => render(join(dir, 'overlay'))).toThrow(/expected kind Kustomization, found Component/);
  });
});

describe('findKubectl', () => {
  it('finds kubectl on PATH, and never when told off', () => {
    const bin = mkdtempSync(join(tmpdir(), 'bin-'));
    try {
      expect(findKubectl(bin, {})).toBeUndefined();
      writeFileSync(join(bin, 'kubectl'), '');
      expect(findKubectl(`/nonexistent:${bin}`, {})).toBe(join(bin, 'kubectl'));
      expect(findKubectl(bin, { INBOX_TEST_KUBECTL: 'off' })).toBeUndefined();
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

it('reads YAML as Kubernetes does: yes/on are booleans, quoted numbers stay strings', () => {
  expect(parseYamlStream('a: yes\nb: "3000"\nc: 0.1.0\n', 'inline')).toEqual([{ a: true, b: '3000', c: '0.1.0' }]);
});
