import { layerColour, typeColours } from './lineage-colours.js';
import type { LineageLayout, PlacedNode } from './lineage-layout.js';

export interface CanvasNodeInfo {
  label: string;
  packageName: string;
  resourceType: string;
}

/**
 * Draws a laid-out lineage on a canvas: wheel zooms about the pointer, drag pans, a click on a
 * node calls `onOpen`. Only what is in view is drawn and labels are skipped when too small to
 * read, so thousands of nodes stay smooth.
 */
export class LineageCanvas {
  readonly element: HTMLCanvasElement;
  #scale = 1;
  #x = 0;
  #y = 0;
  #frame = 0;
  #hover: string | undefined;

  constructor(
    private readonly layout: LineageLayout,
    private readonly info: (id: string) => CanvasNodeInfo,
    private readonly onOpen: (id: string) => void,
    private readonly focus: ReadonlySet<string> = new Set(),
  ) {
    this.element = document.createElement('canvas');
    this.element.className = 'lineage-canvas';
    this.element.tabIndex = 0;
    this.#listen();
  }

  /** Fits the whole graph in the canvas (call once it is in the document). */
  fit(): void {
    this.#resize();
    const { width, height } = this.element.getBoundingClientRect();
    const scale = Math.min(
      width / Math.max(1, this.layout.width),
      height / Math.max(1, this.layout.height),
      1.5,
    );
    this.#scale = scale;
    this.#x = (width - this.layout.width * scale) / 2;
    this.#y = (height - this.layout.height * scale) / 2;
    this.draw();
  }

  /** Where a node's centre is on the page (client coordinates), or undefined when it is not drawn. */
  clientPoint(id: string): { x: number; y: number } | undefined {
    const node = this.layout.nodes.get(id);
    if (!node) return undefined;
    const rect = this.element.getBoundingClientRect();
    return { x: rect.left + this.#x + node.x * this.#scale, y: rect.top + this.#y + node.y * this.#scale };
  }

  /** Zooms so one node is centred and readable. */
  centreOn(id: string, scale = 1): void {
    const node = this.layout.nodes.get(id);
    if (!node) return;
    const { width, height } = this.element.getBoundingClientRect();
    this.#scale = scale;
    this.#x = width / 2 - node.x * scale;
    this.#y = height / 2 - node.y * scale;
    this.draw();
  }

  get scale(): number {
    return this.#scale;
  }

  #resize(): void {
    const rect = this.element.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    this.element.width = Math.max(1, Math.round(rect.width * ratio));
    this.element.height = Math.max(1, Math.round(rect.height * ratio));
  }

  #nodeAt(clientX: number, clientY: number): PlacedNode | undefined {
    const rect = this.element.getBoundingClientRect();
    const x = (clientX - rect.left - this.#x) / this.#scale;
    const y = (clientY - rect.top - this.#y) / this.#scale;
    for (const node of this.layout.nodes.values())
      if (Math.abs(x - node.x) <= node.width / 2 && Math.abs(y - node.y) <= node.height / 2) return node;
    return undefined;
  }

  #listen(): void {
    const canvas = this.element;
    let drag: { x: number; y: number; moved: boolean } | undefined;
    canvas.addEventListener('wheel', (event) => {
      event.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const px = event.clientX - rect.left;
      const py = event.clientY - rect.top;
      const factor = Math.exp(-event.deltaY * 0.0015);
      const scale = Math.min(4, Math.max(0.02, this.#scale * factor));
      this.#x = px - ((px - this.#x) * scale) / this.#scale;
      this.#y = py - ((py - this.#y) * scale) / this.#scale;
      this.#scale = scale;
      this.draw();
    });
    canvas.addEventListener('mousedown', (event) => {
      drag = { x: event.clientX, y: event.clientY, moved: false };
    });
    window.addEventListener('mousemove', (event) => {
      if (drag) {
        const dx = event.clientX - drag.x;
        const dy = event.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
        if (drag.moved) {
          this.#x += dx;
          this.#y += dy;
          drag.x = event.clientX;
          drag.y = event.clientY;
          this.draw();
        }
        return;
      }
      if (event.target !== canvas) return;
      const hover = this.#nodeAt(event.clientX, event.clientY)?.id;
      canvas.style.cursor = hover ? 'pointer' : 'grab';
      if (hover !== this.#hover) {
        this.#hover = hover;
        canvas.title = hover ? this.info(hover).label : '';
        this.draw();
      }
    });
    window.addEventListener('mouseup', (event) => {
      const wasClick = drag && !drag.moved;
      drag = undefined;
      if (!wasClick || event.target !== canvas) return;
      const node = this.#nodeAt(event.clientX, event.clientY);
      if (node) this.onOpen(node.id);
    });
    window.addEventListener('resize', () => {
      if (canvas.isConnected) {
        this.#resize();
        this.draw();
      }
    });
  }

  /** Schedules a redraw on the next frame. */
  draw(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#paint();
    });
  }

  #paint(): void {
    const context = this.element.getContext('2d');
    if (!context) return;
    const ratio = window.devicePixelRatio || 1;
    const scale = this.#scale;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, this.element.width, this.element.height);
    context.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * this.#x, ratio * this.#y);
    const view = {
      left: -this.#x / scale,
      top: -this.#y / scale,
      right: (this.element.width / ratio - this.#x) / scale,
      bottom: (this.element.height / ratio - this.#y) / scale,
    };
    const visible = (n: PlacedNode) =>
      n.x + n.width / 2 >= view.left &&
      n.x - n.width / 2 <= view.right &&
      n.y + n.height / 2 >= view.top &&
      n.y - n.height / 2 <= view.bottom;

    context.lineWidth = 1 / scale;
    context.strokeStyle = '#9aa5b1';
    context.beginPath();
    for (const edge of this.layout.edges) {
      const from = this.layout.nodes.get(edge.from);
      const to = this.layout.nodes.get(edge.to);
      if (!from || !to || (!visible(from) && !visible(to) && edge.points.length < 3)) continue;
      const x1 = from.x + from.width / 2;
      const x2 = to.x - to.width / 2;
      const middle = (x1 + x2) / 2;
      context.moveTo(x1, from.y);
      context.bezierCurveTo(middle, from.y, middle, to.y, x2, to.y);
    }
    context.stroke();

    const labels = scale * 12 >= 6;
    context.font = '12px system-ui, sans-serif';
    context.textBaseline = 'middle';
    for (const node of this.layout.nodes.values()) {
      if (!visible(node)) continue;
      const info = this.info(node.id);
      const left = node.x - node.width / 2;
      const top = node.y - node.height / 2;
      context.fillStyle = layerColour(info.packageName);
      context.fillRect(left, top, node.width, node.height);
      context.fillStyle = typeColours[info.resourceType] ?? '#555';
      context.fillRect(left, top, 6, node.height);
      const emphasised = node.id === this.#hover || this.focus.has(node.id);
      context.lineWidth = (emphasised ? 2.5 : 1) / scale;
      context.strokeStyle = emphasised ? '#111' : '#7b8794';
      context.strokeRect(left, top, node.width, node.height);
      if (labels) {
        context.fillStyle = '#1f2933';
        const text = info.label.length > 34 ? `${info.label.slice(0, 33)}…` : info.label;
        context.fillText(text, left + 12, node.y, node.width - 16);
      }
    }
  }
}
