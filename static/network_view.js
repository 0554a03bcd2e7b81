// The live network picture: the inputs, every neuron as a map of its activation over the plane of two
// inputs, and the output as the big decision surface with the data rows on it; edges coloured by sign
// and as thick as |weight| (or the gradient dL/dw), and the loss curve below.
//
// Python sends numbers, never pictures (see playground/network_picture.py): the parameters every
// frame, the "scene" (layers, names, data rows, ranges) when it changes or when this picture asks.
// The browser evaluates the network over the plane itself and repaints every canvas in place, so no
// frame shows an empty or half-drawn picture. Every name reaches the page as text (textContent).

const GRID = 48; // points per side of every map
const LOSS_SHARE = 0.24; // of the picture's height, for the loss curve under the network
const GAP = 14;
const pictures = new WeakMap();

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  let picture = pictures.get(parentElement);
  if (!picture) {
    picture = new NetworkPicture(parentElement);
    pictures.set(parentElement, picture);
  }
  picture.send = { state: setStateValue, trigger: setTriggerValue };
  picture.update(data);
}

class NetworkPicture {
  constructor(parent) {
    this.root = element("div", "np-picture");
    this.root.dataset.picture = "network";
    this.figures = element("div", "np-figures");
    this.toolbar = element("div", "np-toolbar");
    this.body = element("div", "np-body");
    this.net = element("div", "np-net");
    // The whole network (edges and every neuron's map) is one canvas: each canvas is a layer the browser
    // composites on every frame, and twenty of them cost more than all the drawing.
    this.network = element("canvas", "np-network");
    this.network.setAttribute("aria-label", "Network");
    this.side = element("div", "np-side"); // the network above the loss curve, beside the surface
    this.surface = element("canvas", "np-surface");
    this.surface.setAttribute("aria-label", "Decision surface");
    this.loss = element("canvas", "np-loss");
    this.loss.setAttribute("aria-label", "Loss curve");
    this.note = element("div", "np-note");
    this.tip = element("div", "np-tip");
    this.net.append(this.network);
    this.side.append(this.net, this.loss);
    this.body.append(this.side, this.surface);
    this.root.append(this.figures, this.toolbar, this.body, this.note, this.tip);
    this.shownFigures = {};
    parent.append(this.root);
    this.options = { gradients: false, test: true, discretize: false, log: false };
    this.sceneKey = null;
    this.waiting = []; // frames to show, oldest first
    this.listen();
    new ResizeObserver(() => this.scene && this.layout() && this.paint()).observe(this.root);
    this.root.evaluate = (rows) => rows.map((row) => Array.from(this.forwardRow(row)));
  }

  update(data) {
    if (data.options) this.options = { ...this.options, ...data.options };
    this.interactive = data.interactive !== false; // the tour's picture is to watch, not to change
    const frames = data.frames.map(unpackFrame);
    this.paintFigures(frames[0].figures); // first: the figures' height is part of the layout below
    if (data.sceneKey !== this.sceneKey) {
      if (!data.scene) return this.askForScene(data.sceneKey); // drawn anew, or a scene missed
      this.scene = data.scene;
      this.sceneKey = data.sceneKey;
      this.waiting = []; // frames of another network
      this.makeColors();
      this.prepareGrid();
      this.buildControls();
      this.layout();
    }
    this.curves = data.loss;
    this.play(frames, data.tickSeconds ?? 0);
  }

  // While training a message brings several frames, shown in turn and spread over the time until the
  // next message is due. Frames still waiting when it comes are shown first, a little faster. The
  // message in which a run ends plays the same way, ending on the finished state. A message that is not
  // training (the page's run after the end, a pause, a change) is shown after the frames still waiting
  // when it follows them (same epoch or later), else at once, dropping them (a reset, a new network).
  play(frames, tickSeconds) {
    const last = this.waiting[this.waiting.length - 1];
    const follows = last !== undefined && frames[0].epoch >= last.epoch;
    if (frames[0].running) this.waiting = [...this.waiting, ...frames].slice(-2 * frames.length);
    else this.waiting = follows ? [...this.waiting, ...frames.slice(-1)] : frames.slice(-1);
    this.perMessage = frames.length;
    this.tick = tickSeconds * 1000;
    clearTimeout(this.playing);
    this.showNext();
  }

  showNext() {
    this.frame = this.waiting.shift();
    this.paintFigures(this.frame.figures);
    this.paint();
    this.root.dataset.waiting = this.waiting.length; // frames still to show: 0 once the picture is current
    if (!this.waiting.length) return;
    const spacing = this.tick / Math.max(this.perMessage, this.waiting.length + 1);
    this.playing = setTimeout(() => this.showNext(), spacing);
  }

  // Once per scene (again after a second without it): every frame until it comes would ask otherwise.
  askForScene(key) {
    const now = performance.now();
    if (this.askedFor === key && now - this.askedAt < 1000) return;
    this.askedFor = key;
    this.askedAt = now;
    this.send.trigger("need_scene", true);
  }

  // The figures above the picture; a text changes only when its value does.
  paintFigures(figures) {
    const names = figures.map(([name]) => name).join("|");
    if (names !== this.figureNames) {
      this.figures.replaceChildren();
      this.shownFigures = {};
      this.figureNames = names;
    }
    for (const [name, value] of figures) {
      let figure = this.shownFigures[name];
      if (!figure) {
        const box = element("div", "np-figure");
        figure = element("div", "np-value");
        figure.dataset.metric = name;
        box.append(element("div", "np-name", name), figure);
        this.figures.append(box);
        this.shownFigures[name] = figure;
      }
      if (figure.textContent !== value) figure.textContent = value;
    }
  }

  // --- the network's arithmetic (the same as nn_core's Network.forward) ------------------------------

  prepareGrid() {
    const { ranges, axes, fixed, layers } = this.scene;
    const n = layers[0];
    this.xs = steps(ranges[0], GRID);
    this.ys = steps(ranges[1], GRID);
    const inputs = new Float64Array(GRID * GRID * n);
    for (let row = 0; row < GRID; row++) {
      for (let column = 0; column < GRID; column++) {
        const raw = fixed.slice();
        if (axes[1] !== axes[0]) raw[axes[1]] = this.ys[GRID - 1 - row]; // row 0 is the top: the highest y
        raw[axes[0]] = this.xs[column]; // one input: the maps vary across only
        inputs.set(this.networkInputs(raw), (row * GRID + column) * n);
      }
    }
    this.gridInputs = inputs;
  }

  // A raw row (the table's columns) as the network reads it: the derived inputs added (as
  // nn_core/features.py computes them), then standardised.
  networkInputs(raw) {
    const { derived, mean, scale } = this.scene;
    const values = raw.concat(
      derived.map(([kind, first, second]) => {
        if (kind === "square") return raw[first] * raw[first];
        if (kind === "product") return raw[first] * raw[second];
        return Math.sin(raw[first]);
      }),
    );
    return Float64Array.from(values, (value, i) => (value - mean[i]) / scale[i]);
  }

  // Every layer's activations over ``count`` rows of ``inputs`` (row-major, standardised).
  forward(inputs, count) {
    const { layers } = this.scene;
    const values = [inputs];
    let below = inputs;
    for (let layer = 0; layer + 1 < layers.length; layer++) {
      const nIn = layers[layer];
      const nOut = layers[layer + 1];
      const weights = this.frame.weights[layer];
      const biases = this.frame.biases[layer];
      const out = new Float64Array(count * nOut);
      for (let p = 0; p < count; p++) {
        for (let j = 0; j < nOut; j++) {
          let sum = biases[j];
          for (let i = 0; i < nIn; i++) sum += below[p * nIn + i] * weights[i * nOut + j];
          out[p * nOut + j] = sum;
        }
      }
      const last = layer + 2 === layers.length;
      activate(last ? this.scene.output : this.scene.hidden, out, count, nOut);
      values.push(out);
      below = out;
    }
    return values;
  }

  forwardRow(raw) {
    const values = this.forward(this.networkInputs(raw), 1);
    return values[values.length - 1];
  }

  // --- layout: where every tile, edge and label goes -------------------------------------------------

  // The picture fills the screen below its own top: the surface as big as it can be, the loss curve
  // under it, everything visible without scrolling (a projector shows one screen).
  layout() {
    const width = this.root.clientWidth;
    const top = this.body.getBoundingClientRect().top + scrolled(this.root);
    const room = Math.max(300, window.innerHeight - top - this.note.offsetHeight - 24);
    const side = Math.max(240, Math.min(room, width * 0.5));
    const netWidth = Math.max(200, width - side - GAP);
    const lossHeight = Math.max(110, Math.round(side * LOSS_SHARE));
    const netHeight = side - lossHeight - GAP;
    this.body.style.height = `${side}px`;
    size(this.surface, side, side);
    size(this.loss, netWidth, lossHeight);
    size(this.network, netWidth, netHeight);
    this.net.style.width = `${netWidth}px`;
    this.net.style.height = `${netHeight}px`;
    this.place(netWidth, netHeight);
    return true;
  }

  // Columns: the inputs, each hidden layer, the outputs; tiles spaced evenly down each column.
  place(width, height) {
    const { layers, nodes, neurons } = this.scene;
    const labelWidth = Math.min(130, width * 0.26);
    const columns = layers.length;
    const spacing = (width - labelWidth) / columns;
    const head = Math.ceil(3 * parseFloat(getComputedStyle(this.root).fontSize)); // a heading over a stepper
    const most = Math.max(...layers);
    const tile = Math.max(10, Math.min(height / 4, spacing * 0.55, (height - head - 8) / most - 6));
    this.tiles = layers.map((count, layer) => {
      const x = labelWidth + spacing * (layer + 0.5) - tile / 2;
      const used = count * tile + (count - 1) * 6;
      const y0 = head + Math.max(0, (height - head - used) / 2);
      return Array.from({ length: count }, (_, index) => ({ x, y: y0 + index * (tile + 6), size: tile }));
    });
    for (const label of this.net.querySelectorAll(".np-label")) label.remove();
    this.tiles[0].forEach((spot, index) => this.label(nodes[index], spot, labelWidth));
    this.tileNames = this.tiles.map((column, layer) =>
      column.map((_, index) => (layer === 0 ? nodes[index] : neurons[layer - 1][index])),
    );
    this.root.tiles = () => this.tiles; // where each map is on the network canvas, for tests
    this.placeHeadings(spacing, labelWidth);
  }

  label(name, spot, labelWidth) {
    const label = element("div", "np-label np-input-name", name);
    label.title = name;
    label.style.width = `${labelWidth - 8}px`;
    label.style.left = `${spot.x - labelWidth}px`;
    label.style.top = `${spot.y + spot.size / 2 - 10}px`;
    this.net.append(label);
  }

  placeHeadings(spacing, labelWidth) {
    const { layers } = this.scene;
    layers.forEach((count, layer) => {
      const last = layer === layers.length - 1;
      const title = layer === 0 ? "Inputs" : last ? "Output" : `Hidden ${layer}`;
      const heading = element("div", "np-label np-heading");
      heading.style.left = `${labelWidth + spacing * layer}px`;
      heading.style.width = `${spacing}px`;
      heading.append(element("div", "", title));
      if (layer > 0 && !last && this.interactive) heading.append(this.neuronControl(layer - 1, count));
      this.net.append(heading);
    });
  }

  // --- controls: layers, neurons, activation, and the view's own switches ------------------------------

  buildControls() {
    const { layers, hidden, hiddenChoices, maxLayers } = this.scene;
    const count = layers.length - 2;
    this.toolbar.replaceChildren();
    // "Test rows" only when the data has some: a switch that changes nothing confuses.
    const testRows = this.scene.points.test.some(Boolean) ? [["test", "Test rows"]] : [];
    if (!this.interactive) {
      this.toolbar.append(...[...testRows, ["discretize", "Discretize output"]].map(([name, text]) => this.toggle(name, text)));
      return;
    }
    const layerGroup = element("span", "np-group");
    layerGroup.append(
      element("span", "", "Hidden layers"),
      this.stepper("layers", count, 0, maxLayers, (value) => this.send.trigger("architecture", { layers: value })),
    );
    const activation = element("select", "");
    activation.setAttribute("aria-label", "Hidden activation");
    for (const [name, text] of hiddenChoices) {
      const option = element("option", "", text);
      option.value = name;
      option.selected = name === hidden;
      activation.append(option);
    }
    activation.addEventListener("change", () => this.send.trigger("architecture", { activation: activation.value }));
    const switches = [
      ["gradients", "Gradients on the edges"],
      ...testRows,
      ["discretize", "Discretize output"],
      ["log", "Log-scale loss"],
    ].map(([name, text]) => this.toggle(name, text));
    this.toolbar.append(layerGroup, activation, ...switches);
  }

  stepper(name, value, low, high, change) {
    const group = element("span", "np-stepper");
    const minus = element("button", "", "−");
    const plus = element("button", "", "+");
    minus.setAttribute("aria-label", `Fewer ${name}`);
    plus.setAttribute("aria-label", `More ${name}`);
    minus.disabled = value <= low;
    plus.disabled = value >= high;
    minus.addEventListener("click", () => change(value - 1));
    plus.addEventListener("click", () => change(value + 1));
    group.append(minus, element("span", "np-count", String(value)), plus);
    return group;
  }

  // − / + say what was pressed; Python works out the network (a new layer's width, the limits).
  neuronControl(index, count) {
    const name = `neurons in hidden layer ${index + 1}`;
    return this.stepper(name, count, 1, this.scene.maxNeurons, (value) =>
      this.send.trigger("architecture", { layer: index, neurons: value }),
    );
  }

  toggle(name, text) {
    const label = element("label", "np-switch");
    const box = element("input");
    box.type = "checkbox";
    box.checked = this.options[name];
    box.addEventListener("change", () => {
      this.options[name] = box.checked;
      this.send.state("options", { ...this.options });
      this.paint();
    });
    label.append(box, element("span", "", text));
    return label;
  }

  // --- painting ------------------------------------------------------------------------------------

  paint() {
    if (!this.frame || !this.tiles) return;
    const count = GRID * GRID;
    const values = this.forward(this.gridInputs, count);
    this.images = this.tileImages(values);
    this.paintSurface(values[values.length - 1]);
    this.paintNetwork();
    this.paintLoss();
    this.paintNote();
  }

  // Every neuron's map (and each input's) as a GRID × GRID image, blue where it is high. Each input is
  // coloured over its own range (x1² spans far more than x1); a hidden layer's neurons share one.
  tileImages(values) {
    const { layers, hidden, output } = this.scene;
    return values.map((layerValues, layer) => {
      const n = layers[layer];
      const activation = layer === 0 ? null : layer === layers.length - 1 ? output : hidden;
      const shared = activationRange(activation) ?? symmetric(layerValues, 1, 0);
      return Array.from({ length: n }, (_, neuron) => {
        const [low, high] = layer === 0 ? symmetric(layerValues, n, neuron) : shared;
        const image = new ImageData(GRID, GRID);
        for (let p = 0; p < GRID * GRID; p++) {
          setColor(image.data, p, this.diverging(layerValues[p * n + neuron], low, high));
        }
        return image;
      });
    });
  }

  paintSurface(outputs) {
    if (this.scene.inputs.length === 1) return this.paintCurve();
    const { task, layers } = this.scene;
    const nOut = layers[layers.length - 1];
    const image = new ImageData(GRID, GRID);
    const range = task === "regression" ? this.valueRange(outputs) : [0, 1];
    this.surfaceRange = range;
    for (let p = 0; p < GRID * GRID; p++) {
      setColor(image.data, p, this.pale(this.outputColor(outputs, p, nOut, range)));
    }
    drawImage(this.surface, image, !this.options.discretize);
    this.paintPoints(range);
  }

  outputColor(outputs, p, nOut, range) {
    const { task } = this.scene;
    if (task === "multiclass") {
      let best = 0;
      for (let k = 1; k < nOut; k++) if (outputs[p * nOut + k] > outputs[p * nOut + best]) best = k;
      const color = this.classColors[best % this.classColors.length];
      if (this.options.discretize) return color;
      const sureness = (outputs[p * nOut + best] - 1 / nOut) / (1 - 1 / nOut);
      return mix(this.neutral, color, Math.max(0, Math.min(1, sureness)));
    }
    let value = outputs[p];
    if (this.options.discretize && task === "binary") value = value > 0.5 ? 1 : 0;
    return this.diverging(value, range[0], range[1]);
  }

  // The rows on the surface: circles for training rows, diamonds for test rows. ``at`` gives their
  // pixel positions when they are not at (x, y) on the plane (the curve of a one-input network).
  // They are drawn once into a layer of their own and copied onto each frame: they do not move.
  paintPoints(range, at = null) {
    const side = this.surface.width;
    const key = [side, this.options.test, this.scene.task === "regression" ? range.join() : "", at ? "curve" : ""].join("|");
    if (this.pointsKey !== key || this.pointsSceneKey !== this.sceneKey) {
      this.pointsLayer = this.drawPoints(range, at, side);
      this.pointsKey = key;
      this.pointsSceneKey = this.sceneKey;
    }
    this.surface.getContext("2d").drawImage(this.pointsLayer, 0, 0);
  }

  drawPoints(range, at, side) {
    const { points, task, classColors, ranges } = this.scene;
    const layer = document.createElement("canvas");
    layer.width = side;
    layer.height = side;
    const context = layer.getContext("2d");
    const radius = Math.max(3, Math.min(7, side / 70 / devicePixelRatio)) * devicePixelRatio;
    context.lineWidth = Math.max(1, radius / 4);
    context.strokeStyle = this.palette().outline;
    for (let i = 0; i < points.x.length; i++) {
      if (points.test[i] && !this.options.test) continue;
      const x = at ? at.x[i] : ((points.x[i] - ranges[0][0]) / (ranges[0][1] - ranges[0][0])) * side;
      const y = at ? at.y[i] : (1 - (points.y[i] - ranges[1][0]) / (ranges[1][1] - ranges[1][0])) * side;
      const target = points.target[i];
      context.fillStyle =
        task === "regression"
          ? rgb(this.diverging(target, range[0], range[1]))
          : classColors[Math.round(target) % classColors.length];
      context.beginPath();
      if (points.test[i]) {
        context.moveTo(x, y - radius * 1.3);
        context.lineTo(x + radius * 1.3, y);
        context.lineTo(x, y + radius * 1.3);
        context.lineTo(x - radius * 1.3, y);
        context.closePath();
      } else {
        context.arc(x, y, radius, 0, 2 * Math.PI);
      }
      context.fill();
      context.stroke();
    }
    return layer;
  }

  // One input: the network's answer as a curve over the input, with the rows at (input, target).
  paintCurve() {
    const { ranges, points, palette } = this.scene;
    const xs = steps(ranges[0], 200);
    const ys = xs.map((x) => this.forwardRow([x])[0]);
    const [low, high] = this.curveRange(ys);
    const canvas = this.surface;
    const context = canvas.getContext("2d");
    const side = canvas.width;
    const toX = (x) => ((x - ranges[0][0]) / (ranges[0][1] - ranges[0][0])) * side;
    const toY = (y) => (1 - (y - low) / (high - low)) * side;
    context.fillStyle = "#fff";
    context.fillRect(0, 0, side, side);
    context.strokeStyle = palette.train;
    context.lineWidth = 3 * devicePixelRatio;
    context.beginPath();
    xs.forEach((x, index) => context[index ? "lineTo" : "moveTo"](toX(x), toY(ys[index])));
    context.stroke();
    this.paintPoints([low, high], { x: points.x.map(toX), y: points.target.map(toY) });
  }

  curveRange(values) {
    let [low, high] = this.scene.curveRange;
    for (const value of values) {
      if (Number.isFinite(value)) {
        low = Math.min(low, value);
        high = Math.max(high, value);
      }
    }
    this.shownCurveRange = [low, high];
    return [low, high];
  }

  // Edges first, the maps on top, all onto one canvas in one go (no empty canvas is ever shown).
  paintNetwork() {
    const context = this.network.getContext("2d");
    const scale = devicePixelRatio;
    context.setTransform(scale, 0, 0, scale, 0, 0);
    context.fillStyle = this.palette().background;
    context.fillRect(0, 0, this.network.width, this.network.height);
    this.paintEdges(context);
    this.images.forEach((column, layer) =>
      column.forEach((image, neuron) => {
        const spot = this.tiles[layer][neuron];
        scratch.getContext("2d").putImageData(image, 0, 0);
        context.imageSmoothingEnabled = false;
        context.drawImage(scratch, spot.x, spot.y, spot.size, spot.size);
        context.strokeStyle = this.palette().outline;
        context.lineWidth = 1;
        context.strokeRect(spot.x - 0.5, spot.y - 0.5, spot.size + 1, spot.size + 1);
      }),
    );
  }

  paintEdges(context) {
    const shown = this.options.gradients && this.frame.gradients ? this.frame.gradients : this.frame.weights;
    const largest = Math.max(1e-12, ...shown.flatMap((values) => Array.from(values, Math.abs)));
    const { blue, orange } = this.palette();
    this.edgeLines = [];
    shown.forEach((layerValues, layer) => {
      const from = this.tiles[layer];
      const to = this.tiles[layer + 1];
      const nOut = to.length;
      from.forEach((a, i) => {
        to.forEach((b, j) => {
          const value = layerValues[i * nOut + j];
          const strength = Math.abs(value) / largest;
          const line = { x1: a.x + a.size, y1: a.y + a.size / 2, x2: b.x, y2: b.y + b.size / 2, layer, i, j };
          context.strokeStyle = value >= 0 ? blue : orange;
          context.globalAlpha = 0.3 + 0.7 * strength;
          context.lineWidth = 0.5 + 6 * strength;
          context.beginPath();
          context.moveTo(line.x1, line.y1);
          context.lineTo(line.x2, line.y2);
          context.stroke();
          this.edgeLines.push(line);
        });
      });
    });
    context.globalAlpha = 1;
  }

  // The loss curve up to the frame shown: the message's curve goes as far as its last frame.
  paintLoss() {
    const count = this.curves.epochs.findLastIndex((epoch) => epoch <= this.frame.epoch) + 1;
    const epochs = this.curves.epochs.slice(0, count);
    const train = this.curves.train.slice(0, count);
    const test = this.curves.test.slice(0, count);
    const canvas = this.loss;
    const context = canvas.getContext("2d");
    const scale = devicePixelRatio;
    const width = canvas.width / scale;
    const height = canvas.height / scale;
    context.setTransform(scale, 0, 0, scale, 0, 0);
    context.clearRect(0, 0, width, height);
    const font = getComputedStyle(this.root).fontSize;
    context.font = `${parseFloat(font)}px sans-serif`;
    context.fillStyle = "#555";
    if (!epochs.length) {
      context.fillText("Press Train to see the loss fall", 8, height / 2);
      return;
    }
    const log = this.options.log;
    const shown = (value) => (log ? Math.log10(Math.max(value, 1e-12)) : value);
    const all = [...train, ...test].filter((value) => Number.isFinite(value)).map(shown);
    const low = log ? Math.min(...all) : 0;
    const high = Math.max(...all, low + 1e-12);
    const [highText, lowText] = [high, low].map((value) => formatNumber(log ? 10 ** value : value));
    const left = 8 + Math.max(...[highText, lowText].map((text) => context.measureText(text).width));
    const right = 8;
    const topPad = 18;
    const bottom = 18;
    const x = (epoch) => left + ((epoch - 1) / Math.max(1, epochs[epochs.length - 1] - 1)) * (width - left - right);
    const y = (value) => topPad + (1 - (shown(value) - low) / (high - low)) * (height - topPad - bottom);
    context.fillText(highText, 2, topPad + 4);
    context.fillText(lowText, 2, height - bottom);
    context.textAlign = "right";
    context.fillText(`epoch ${this.frame.epoch.toLocaleString("en")}`, width - right, height - 3);
    context.textAlign = "left";
    const line = (values, color, dash) => {
      if (!values.length) return;
      context.strokeStyle = color;
      context.setLineDash(dash);
      context.lineWidth = 2.5;
      context.beginPath();
      values.forEach((value, index) => {
        const method = index ? "lineTo" : "moveTo";
        context[method](x(epochs[index]), y(value));
      });
      context.stroke();
      context.setLineDash([]);
    };
    const { train: trainColor, test: testColor } = this.palette();
    line(train, trainColor, []);
    line(test, testColor, [6, 4]);
    context.fillStyle = trainColor;
    context.fillText("— train", width - 150, 14);
    if (test.length) {
      context.fillStyle = testColor;
      context.fillText("- - test", width - 72, 14);
    }
  }

  paintNote() {
    const { inputs, axes, fixed } = this.scene;
    const held = inputs
      .map((name, index) => (axes.includes(index) ? null : `${name} = ${formatNumber(fixed[index])}`))
      .filter(Boolean);
    const up = axes[1] !== axes[0] ? ` and ${inputs[axes[1]]} (up)` : "";
    const across = `Maps over ${inputs[axes[0]]} (across)${up}.`;
    this.note.textContent = held.length ? `${across} Held: ${held.join(", ")}.` : across;
  }

  // --- pointing: hover for exact values, click an edge to type a weight, click a neuron to enlarge ------

  listen() {
    this.net.addEventListener("mousemove", (event) => this.hover(event));
    this.net.addEventListener("mouseleave", () => this.hideTip());
    this.net.addEventListener("click", (event) => this.clickNet(event));
    this.surface.addEventListener("mousemove", (event) => this.hoverSurface(event));
    this.surface.addEventListener("click", (event) => this.addPoint(event));
    this.surface.addEventListener("mouseleave", () => this.hideTip());
  }

  pointed(event) {
    const box = this.net.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    for (const [layer, column] of (this.tiles || []).entries()) {
      const index = column.findIndex((spot) => x >= spot.x && x <= spot.x + spot.size && y >= spot.y && y <= spot.y + spot.size);
      if (index >= 0) return { kind: "neuron", layer, index, x, y };
    }
    let best = null;
    for (const line of this.edgeLines || []) {
      const distance = toSegment(x, y, line);
      if (distance < 6 && (!best || distance < best.distance)) best = { kind: "edge", line, distance, x, y };
    }
    return best;
  }

  hover(event) {
    if (!this.scene || !this.frame) return;
    const target = this.pointed(event);
    if (!target) return this.hideTip();
    this.showTip(this.describe(target), target.x, target.y, this.net);
  }

  describe(target) {
    const { weightNames, neurons, nodes, inputs } = this.scene;
    if (target.kind === "edge") {
      const { layer, i, j } = target.line;
      const nOut = this.tiles[layer + 1].length;
      const weight = this.frame.weights[layer][i * nOut + j];
      const name = weightNames[layer].weights[i * nOut + j];
      const from = layer === 0 ? nodes[i] : neurons[layer - 1][i];
      let text = `${name} = ${weight.toPrecision(6)}  (${from} → ${neurons[layer][j]})`;
      if (this.frame.gradients) text += `\ndL/d${name} = ${this.frame.gradients[layer][i * nOut + j].toPrecision(4)}`;
      return this.interactive ? `${text}\nclick to type a new weight` : text;
    }
    if (target.layer === 0) {
      const derived = target.index >= inputs.length ? ", derived from the columns" : "";
      return `${nodes[target.index]} (an input${derived})`;
    }
    const layer = target.layer - 1;
    const bias = this.frame.biases[layer][target.index];
    return `${neurons[layer][target.index]} · bias ${weightNames[layer].biases[target.index]} = ${bias.toPrecision(6)}\nclick to see its map large`;
  }

  hoverSurface(event) {
    if (!this.scene || !this.frame) return;
    const { axes, fixed, inputs } = this.scene;
    const point = this.planePoint(event);
    const raw = fixed.slice();
    if (axes[1] !== axes[0]) raw[axes[1]] = point.y;
    raw[axes[0]] = point.x;
    const output = this.forwardRow(raw);
    const along = axes[1] !== axes[0] ? `, ${inputs[axes[1]]} = ${formatNumber(raw[axes[1]])}` : "";
    const at = `${inputs[axes[0]]} = ${formatNumber(raw[axes[0]])}${along}`;
    const sideBox = this.side.getBoundingClientRect();
    this.showTip(`${at}\n→ ${this.answer(output)}`, event.clientX - sideBox.left, event.clientY - sideBox.top, this.side);
  }

  // Where on the plane (in the data's units) a pointer event is; for one input, (input, height).
  planePoint(event) {
    const box = this.surface.getBoundingClientRect();
    const fx = (event.clientX - box.left) / box.width;
    const fy = (event.clientY - box.top) / box.height;
    const { ranges } = this.scene;
    const x = ranges[0][0] + fx * (ranges[0][1] - ranges[0][0]);
    const [low, high] = this.scene.inputs.length === 1 ? this.shownCurveRange : ranges[1];
    return { x, y: high - fy * (high - low) };
  }

  addPoint(event) {
    if (!this.scene || !this.interactive) return;
    this.send.trigger("point", this.planePoint(event));
  }

  answer(output) {
    const { task, classes, target } = this.scene;
    if (task === "regression") return `${target} ≈ ${formatNumber(output[0])}`;
    if (task === "binary") return `P(${target} = ${classes[1]}) = ${output[0].toFixed(3)}`;
    let best = 0;
    output.forEach((value, index) => {
      if (value > output[best]) best = index;
    });
    return `${target}: ${classes[best]} (${output[best].toFixed(2)})`;
  }

  clickNet(event) {
    const target = this.pointed(event);
    if (!target) return;
    if (target.kind === "edge" && this.interactive) this.editWeight(target);
    else if (target.layer > 0) this.enlarge(target.layer, target.index);
  }

  editWeight(target) {
    const { layer, i, j } = target.line;
    const nOut = this.tiles[layer + 1].length;
    const at = i * nOut + j;
    const name = this.scene.weightNames[layer].weights[at];
    const before = this.frame.weights[layer][at];
    this.tip.replaceChildren(element("span", "", `${name} = `));
    const box = element("input", "np-weight-input");
    box.value = String(before);
    box.setAttribute("aria-label", `New value of ${name}`);
    let open = true;
    const close = () => {
      open = false;
      this.tip.replaceChildren();
      this.tip.style.display = "none";
    };
    // The typed value applied (null), or why it cannot be.
    const apply = () => {
      const value = this.typedNumber(box.value);
      const limit = this.scene.maxWeight;
      if (value === null || Math.abs(value) > limit) {
        return `Type a decimal number between ${-limit} and ${limit}, like 0.5 or -3.`;
      }
      if (value !== before) {
        this.frame.weights[layer][at] = value;
        this.paint();
        this.send.trigger("weight", { layer, from: i, to: j, value });
      }
      return null;
    };
    box.addEventListener("input", () => box.setCustomValidity(""));
    box.addEventListener("keydown", (event) => {
      if (event.key === "Escape") close();
      if (event.key !== "Enter") return;
      const problem = apply();
      if (problem === null) close();
      else {
        box.setCustomValidity(problem);
        box.reportValidity();
      }
    });
    // Leaving the box (a click elsewhere, Tab) counts as Enter: a typed value is never left on show
    // unused. One that is not a number is said to be left out.
    box.addEventListener("blur", () => {
      if (!open) return;
      const problem = apply();
      close();
      if (problem !== null) this.showTip(`${name} was not changed. ${problem}`, target.x, target.y, this.net);
    });
    this.tip.append(box);
    this.placeTip(target.x, target.y, this.net);
    box.focus();
    box.select();
  }

  // A number as a table cell takes it (playground/table.py's DECIMAL_PATTERN, sent in the scene): plain
  // decimal notation only, so "", "0x10" and "0b11" are not numbers here either.
  typedNumber(text) {
    const plain = text.trim().replaceAll(this.scene.minusSign, "-");
    if (!new RegExp(`^(?:${this.scene.numberPattern})$`).test(plain)) return null;
    const value = Number(plain);
    return Number.isFinite(value) ? value : null;
  }

  enlarge(layer, index) {
    const overlay = element("div", "np-overlay");
    const big = element("canvas", "np-big");
    const name = this.scene.neurons[layer - 1][index];
    big.setAttribute("aria-label", `${name} map, large`);
    const side = Math.min(this.root.clientWidth, 420);
    size(big, side, side);
    scratch.getContext("2d").putImageData(this.images[layer][index], 0, 0);
    big.getContext("2d").imageSmoothingEnabled = false;
    big.getContext("2d").drawImage(scratch, 0, 0, big.width, big.height);
    overlay.append(element("div", "", `${name}: blue where it fires high, orange where low (click to close)`), big);
    overlay.addEventListener("click", () => overlay.remove());
    this.root.append(overlay);
  }

  showTip(text, x, y, within) {
    this.tip.replaceChildren(...text.split("\n").map((line) => element("div", "", line)));
    this.placeTip(x, y, within);
  }

  placeTip(x, y, within) {
    const rootBox = this.root.getBoundingClientRect();
    const box = within.getBoundingClientRect();
    this.tip.style.left = `${box.left - rootBox.left + x + 14}px`;
    this.tip.style.top = `${box.top - rootBox.top + y + 14}px`;
    this.tip.style.display = "block";
  }

  hideTip() {
    if (!this.tip.querySelector("input")) this.tip.style.display = "none";
  }

  // --- colours (the same mapping as playground/colors.py) --------------------------------------------

  palette() {
    return this.scene.palette;
  }

  // Orange at ``low``, neutral half-way, blue at ``high`` (NaN is neutral), from a table of 1,025
  // colours made once per scene: a colour per pixel without parsing or mixing colours again.
  diverging(value, low, high) {
    let position = high === low ? 0.5 + 0.5 * Math.sign(value - low) : (value - low) / (high - low);
    position = Number.isNaN(position) ? 0.5 : Math.max(0, Math.min(1, position));
    return this.colors[Math.round(position * (this.colors.length - 1))];
  }

  makeColors() {
    const { orange, blue, neutral } = this.palette();
    const [low, middle, high] = [hex(orange), hex(neutral), hex(blue)];
    this.colors = Array.from({ length: 1025 }, (_, index) => {
      const position = index / 1024;
      return position < 0.5 ? mix(low, middle, position * 2) : mix(middle, high, position * 2 - 1);
    });
    this.classColors = this.scene.classColors.map(hex);
    this.neutral = middle;
  }

  pale(color) {
    const strength = this.palette().strength;
    return color.map((channel) => Math.trunc(255 - (255 - channel) * strength));
  }

  valueRange(outputs) {
    const targets = this.scene.points.target;
    let low = Math.min(...targets);
    let high = Math.max(...targets);
    for (const value of outputs) {
      if (Number.isFinite(value)) {
        low = Math.min(low, value);
        high = Math.max(high, value);
      }
    }
    return low === high ? [low - 0.5, high + 0.5] : [low, high];
  }
}

// --- small helpers ---------------------------------------------------------------------------------

// Weights and biases travel as base64 of little-endian float64s (exact, and short), gradients as float32s.
function unpackFrame(frame) {
  const layers = (packed) => packed.map((text) => unpack(text));
  const gradients = frame.gradients?.map((layer) => unpack(layer, Float32Array)); // per weight, single precision
  return { ...frame, weights: layers(frame.weights), biases: layers(frame.biases), gradients };
}

function unpack(text, type = Float64Array) {
  const bytes = Uint8Array.from(atob(text), (character) => character.charCodeAt(0));
  return new type(bytes.buffer);
}

function element(tag, className = "", text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  return node;
}

function size(canvas, width, height) {
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.width = Math.round(width * devicePixelRatio);
  canvas.height = Math.round(height * devicePixelRatio);
}

function scrolled(node) {
  let total = 0;
  for (let parent = node.parentElement ?? node.getRootNode().host; parent; parent = parent.parentElement) {
    total += parent.scrollTop;
  }
  return total;
}

function steps([low, high], count) {
  return Array.from({ length: count }, (_, index) => low + ((high - low) * index) / (count - 1));
}

function activate(name, values, count, width) {
  if (name === "softmax") {
    for (let p = 0; p < count; p++) {
      let largest = -Infinity;
      for (let j = 0; j < width; j++) largest = Math.max(largest, values[p * width + j]);
      let total = 0;
      for (let j = 0; j < width; j++) total += values[p * width + j] = Math.exp(values[p * width + j] - largest);
      for (let j = 0; j < width; j++) values[p * width + j] /= total;
    }
    return;
  }
  const f = {
    sigmoid: (z) => 1 / (1 + Math.exp(-z)),
    tanh: Math.tanh,
    relu: (z) => Math.max(z, 0),
    leaky_relu: (z) => Math.max(z, 0.01 * z),
    linear: (z) => z,
  }[name];
  for (let k = 0; k < values.length; k++) values[k] = f(values[k]);
}

function activationRange(name) {
  return { sigmoid: [0, 1], softmax: [0, 1], tanh: [-1, 1] }[name] ?? null;
}

// [-m, m] with m the largest |value| among values[offset], values[offset + stride], …
function symmetric(values, stride, offset) {
  let largest = 0;
  for (let at = offset; at < values.length; at += stride) {
    if (Number.isFinite(values[at])) largest = Math.max(largest, Math.abs(values[at]));
  }
  largest = largest > 0 ? largest : 1e-9;
  return [-largest, largest];
}

function hex(color) {
  const digits = color.replace("#", "");
  return [0, 2, 4].map((start) => parseInt(digits.slice(start, start + 2), 16));
}

function mix(a, b, share) {
  return a.map((channel, index) => Math.round(channel + (b[index] - channel) * share));
}

function rgb(color) {
  return `rgb(${color[0]}, ${color[1]}, ${color[2]})`;
}

function setColor(pixels, index, color) {
  pixels[index * 4] = color[0];
  pixels[index * 4 + 1] = color[1];
  pixels[index * 4 + 2] = color[2];
  pixels[index * 4 + 3] = 255;
}

// Draw a GRID × GRID image over the whole canvas, in one step (never a cleared canvas in between).
const scratch = document.createElement("canvas");
scratch.width = GRID;
scratch.height = GRID;
function drawImage(canvas, image, smooth) {
  scratch.getContext("2d").putImageData(image, 0, 0);
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = smooth;
  context.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}

function toSegment(x, y, { x1, y1, x2, y2 }) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}

function formatNumber(value) {
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  return magnitude >= 1e5 || magnitude < 1e-3 ? value.toExponential(2) : String(Number(value.toPrecision(4)));
}
