import type { AlfRoot } from '../alfRoot';

/**
 * The elements of the Sessions view. Each is created once per id and reused (see NodeCache),
 * because VS Code identifies tree elements by object identity when a refresh targets one.
 */
export type AlfNode =
  | { type: 'root'; id: string; root: AlfRoot }
  | { type: 'cacheStatus'; id: string; root: AlfRoot }
  | { type: 'lab'; id: string; root: AlfRoot; lab: string }
  | { type: 'subject'; id: string; root: AlfRoot; lab: string; subject: string }
  | { type: 'session'; id: string; root: AlfRoot; sessionPath: string }
  /** A collection folder, or a revision folder inside one; `folder` is session-relative. */
  | { type: 'folder'; id: string; root: AlfRoot; sessionPath: string; collection: string | null; revision: string | null }
  | { type: 'dataset'; id: string; root: AlfRoot; path: string; sessionPath: string; collection: string | null; revision: string | null }
  | { type: 'problem'; id: string; root: AlfRoot; problemId: string }
  | { type: 'outsideGroup'; id: string; root: AlfRoot }
  | { type: 'outsideFile'; id: string; root: AlfRoot; path: string };

export type NodeOf<T extends AlfNode['type']> = Extract<AlfNode, { type: T }>;

type NodeInit<T extends AlfNode['type']> = Omit<NodeOf<T>, 'id' | 'type' | 'root'>;

/** Nodes by id, so that the same element object is handed to VS Code every time. */
export class NodeCache {
  private readonly nodes = new Map<string, AlfNode>();

  get<T extends AlfNode['type']>(type: T, root: AlfRoot, key: string, init: NodeInit<T>): NodeOf<T> {
    const id = `${type}\u0000${root.fsPath}\u0000${key}`;
    let node = this.nodes.get(id);
    if (!node) {
      node = { type, id, root, ...init } as unknown as AlfNode;
      this.nodes.set(id, node);
    }
    return node as NodeOf<T>;
  }

  /** The node with this id if the view has been given it. */
  peek<T extends AlfNode['type']>(type: T, root: AlfRoot, key: string): NodeOf<T> | undefined {
    return this.nodes.get(`${type}\u0000${root.fsPath}\u0000${key}`) as NodeOf<T> | undefined;
  }

  /** Forgets the nodes of a root (when it is rescanned or removed). */
  dropRoot(root: AlfRoot): void {
    for (const [id, node] of this.nodes) if (node.root === root) this.nodes.delete(id);
  }

  delete(node: AlfNode): void {
    this.nodes.delete(node.id);
  }
}
