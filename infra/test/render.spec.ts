import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseImage, parseYamlStream, render, retagImages, strategicMerge } from './render.js';

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

it('reads YAML as Kubernetes does: yes/on are booleans, quoted numbers stay strings', () => {
  expect(parseYamlStream('a: yes\nb: "3000"\nc: 0.1.0\n', 'inline')).toEqual([{ a: true, b: '3000', c: '0.1.0' }]);
});
