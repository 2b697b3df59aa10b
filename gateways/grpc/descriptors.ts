/**
 * Complete file descriptors of .proto files, as server reflection must serve
 * them: one FileDescriptorProto per source file, named by its import path
 * (`guardyn/auth.proto`), with its `dependency` list, and every type reference
 * fully qualified (`.guardyn.common.KeyBundle`).
 *
 * Why not proto-loader's `fileDescriptorProtos`: protobufjs writes one file per
 * package (`guardyn_auth.proto`) without dependencies, with type names relative
 * to the referring message (`common.KeyBundle`) and map entries named after the
 * field (`Details`, where protoc and every descriptor validator expect
 * `DetailsEntry`). Reflection clients built on protoc's rules (grpcurl, grpcui,
 * Postman, Go and Java clients) reject such files: `cannot resolve type
 * "*.common.KeyBundle"`, `incorrect implicit map entry name`.
 *
 * So the files are parsed once more with protobufjs (the parser proto-loader
 * uses, so descriptors and service definitions agree), each message, enum and
 * service is turned into its descriptor by protobufjs, and the three defects
 * above are corrected from the resolved types. File-level options (go_package
 * and the like) are left out: reflection clients do not need them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as ProtobufNs from 'protobufjs';
import type * as DescriptorNs from 'protobufjs/ext/descriptor/index.js';

// protobufjs is declared in package.json (the version proto-loader takes too); resolve it through
// proto-loader all the same, so the descriptors always come from the parser of the service definitions.
const requireHere = createRequire(import.meta.url);
const requireFromLoader = createRequire(requireHere.resolve('@grpc/proto-loader'));
const protobuf = requireFromLoader('protobufjs') as typeof ProtobufNs;
const descriptor = requireFromLoader('protobufjs/ext/descriptor/index.js') as typeof DescriptorNs;

/** What protobufjs/ext/descriptor adds at run time to messages, enums and services (its typings leave it out). */
interface Describable {
  toDescriptor(edition?: string): unknown;
}
const describe = (obj: ProtobufNs.ReflectionObject, edition?: string): unknown =>
  (obj as unknown as Describable).toDescriptor(edition);

/** A .proto file: the directory its imports resolve from, and its path under that directory. */
export interface ProtoSource {
  readonly includeDir: string;
  readonly file: string;
  /**
   * The file's name in the descriptors, when not `file` (e.g. the canonical
   * `grpc/health/v1/health.proto` of a copy shipped as `health/v1/health.proto`).
   */
  readonly name?: string;
}

export interface FileDescriptors {
  /** Every file, encoded, dependencies before the files that import them. */
  readonly encoded: readonly Uint8Array[];
  /** The decoded files (for checks and tests). */
  readonly files: readonly DescriptorNs.IFileDescriptorProto[];
  /** Fully qualified service name (no leading dot) → the name of the file declaring it. */
  readonly serviceFiles: ReadonlyMap<string, string>;
  /** A file's name and the names of every file it needs, transitively, dependencies first. */
  closure(fileNames: Iterable<string>): string[];
}

/** Loads `sources` (and what they import) and builds their complete file descriptors. */
export function fileDescriptors(sources: readonly ProtoSource[]): FileDescriptors {
  const includeDirs = [...new Set(sources.map((s) => path.resolve(s.includeDir)))];
  const nameOfPath = new Map<string, string>();
  for (const s of sources) nameOfPath.set(path.resolve(s.includeDir, s.file), s.name ?? s.file);

  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    if (path.isAbsolute(target)) return target;
    for (const dir of includeDirs) {
      const candidate = path.join(dir, target);
      if (fs.existsSync(candidate)) return candidate;
    }
    return origin === '' ? target : path.resolve(path.dirname(origin), target);
  };
  root.loadSync(
    sources.map((s) => path.resolve(s.includeDir, s.file)),
    { keepCase: true },
  );
  root.resolveAll();

  const fileNameOf = (obj: ProtobufNs.ReflectionObject): string => {
    let top = obj;
    while (top.parent !== null && (top.parent instanceof protobuf.Type || top.parent instanceof protobuf.Service))
      top = top.parent;
    const file = top.filename ?? obj.filename;
    if (file === null) throw new Error(`no source file known for ${obj.fullName}`);
    const name = nameOfPath.get(file) ?? nameUnderIncludeDirs(file, includeDirs);
    nameOfPath.set(file, name);
    return name;
  };

  // Top-level messages, enums and services of each file, in declaration order.
  const byFile = new Map<string, { pkg: string; members: ProtobufNs.ReflectionObject[] }>();
  const collect = (ns: ProtobufNs.NamespaceBase) => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type || nested instanceof protobuf.Enum || nested instanceof protobuf.Service) {
        const name = fileNameOf(nested);
        const entry = byFile.get(name) ?? { pkg: ns.fullName.replace(/^\./, ''), members: [] };
        entry.members.push(nested);
        byFile.set(name, entry);
      } else if (nested instanceof protobuf.Namespace) {
        collect(nested);
      }
    }
  };
  collect(root);

  const files = new Map<string, DescriptorNs.IFileDescriptorProto>();
  const dependencies = new Map<string, Set<string>>();
  const serviceFiles = new Map<string, string>();
  for (const [name, { pkg, members }] of byFile) {
    const deps = new Set<string>();
    const refer = (type: ProtobufNs.ReflectionObject) => {
      const other = fileNameOf(type);
      if (other !== name) deps.add(other);
    };
    const file: DescriptorNs.IFileDescriptorProto = {
      name,
      package: pkg,
      syntax: 'proto3',
      messageType: [],
      enumType: [],
      service: [],
      dependency: [],
    };
    for (const member of members) {
      if (member instanceof protobuf.Type) {
        const d = describe(member, 'proto3') as MessageDescriptor;
        qualifyMessage(d, member, refer);
        file.messageType!.push(d);
      } else if (member instanceof protobuf.Enum) {
        file.enumType!.push(describe(member) as DescriptorNs.IEnumDescriptorProto);
      } else if (member instanceof protobuf.Service) {
        const d = describe(member) as DescriptorNs.IServiceDescriptorProto;
        for (const method of member.methodsArray) {
          refer(method.resolvedRequestType!);
          refer(method.resolvedResponseType!);
        }
        file.service!.push(d);
        serviceFiles.set(member.fullName.replace(/^\./, ''), name);
      }
    }
    file.dependency = [...deps].sort();
    files.set(name, file);
    dependencies.set(name, deps);
  }

  const closure = (fileNames: Iterable<string>): string[] => {
    const ordered: string[] = [];
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const dep of [...(dependencies.get(name) ?? [])].sort()) visit(dep);
      if (files.has(name)) ordered.push(name);
    };
    for (const name of fileNames) visit(name);
    return ordered;
  };

  const all = closure([...files.keys()].sort());
  const decoded = all.map((n) => files.get(n)!);
  const encoded = decoded.map((f) =>
    descriptor.FileDescriptorProto.encode(descriptor.FileDescriptorProto.fromObject(f)).finish(),
  );
  return { encoded, files: decoded, serviceFiles, closure };
}

/** The path of `file` under the first include directory holding it. */
function nameUnderIncludeDirs(file: string, includeDirs: readonly string[]): string {
  for (const dir of includeDirs) {
    const rel = path.relative(dir, file);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return path.basename(file);
}

interface FieldDescriptor {
  name: string;
  type?: number;
  typeName?: string;
  jsonName?: string;
}
interface MessageDescriptor {
  name: string;
  field: FieldDescriptor[];
  nestedType: MessageDescriptor[];
  options?: { mapEntry?: boolean };
}

/** `details` → `DetailsEntry`, `key_value` → `KeyValueEntry`: the map entry name protoc gives a map field. */
export function mapEntryName(fieldName: string): string {
  return `${fieldName.replace(/(?:^|_)(.)/g, (_, c: string) => c.toUpperCase())}Entry`;
}

/** `access_token` → `accessToken`: the JSON name protoc records for a field (and JSON clients print). */
export function jsonName(fieldName: string): string {
  return fieldName.replace(/_(.)/g, (_, c: string) => c.toUpperCase()).replace(/_$/, '');
}

/**
 * Rewrites the type references of a protobufjs message descriptor (and its
 * nested ones) to fully qualified names, renames map entries as protoc does,
 * and reports every referenced type to `refer`.
 */
function qualifyMessage(
  d: MessageDescriptor,
  type: ProtobufNs.Type,
  refer: (type: ProtobufNs.ReflectionObject) => void,
): void {
  for (const fd of d.field) {
    fd.jsonName = jsonName(fd.name);
    const field = type.fields[fd.name];
    if (field === undefined) continue; // an extension declared inside the message: none in Guardyn's protos
    if (field instanceof protobuf.MapField) {
      const entry = d.nestedType.find((n) => n.options?.mapEntry === true && n.name === fd.typeName);
      if (entry === undefined) throw new Error(`map entry of ${type.fullName}.${fd.name} missing`);
      entry.name = mapEntryName(fd.name);
      for (const f of entry.field) f.jsonName = jsonName(f.name);
      fd.typeName = `${type.fullName}.${entry.name}`;
      const value = entry.field.find((f) => f.name === 'value');
      if (value !== undefined && field.resolvedType !== null) {
        value.typeName = field.resolvedType.fullName;
        refer(field.resolvedType);
      }
    } else if (field.resolvedType !== null) {
      fd.typeName = field.resolvedType.fullName;
      refer(field.resolvedType);
    }
  }
  for (const nested of type.nestedArray) {
    if (!(nested instanceof protobuf.Type)) continue;
    const nd = d.nestedType.find((n) => n.name === nested.name && n.options?.mapEntry !== true);
    if (nd !== undefined) qualifyMessage(nd, nested, refer);
  }
}
