// The playground's table editor: one text box per cell, typed into like a spreadsheet.
//
// Python sends {version, columns, rows, edits, marks, seq, maxRows, maxChars, maxEditBytes}. An editor drawn anew
// shows the rows with the edits Python has accepted (so switching the page's layout loses nothing);
// the boxes then hold the truth until Python sends another version (a new table): a rerun never
// touches what is being typed.
// After each committed edit the editor sends {version, seq, rows}, where each row is either its index
// in the rows Python sent (unchanged) or its cells (edited or new). Every name and cell is written
// into the page as text (textContent, value), never as HTML. A message of more than maxEditBytes (in UTF-8,
// as it travels) is never sent: a paste that would make one is refused, and a typed edit that would is
// taken back, saying so.

// Cells drawn at once (whole rows, at least 50); more are drawn as the user scrolls or tabs down.
// Thousands of text boxes make every rerun's layout slow, so a wide table gets fewer rows at a time.
const CELLS_AT_ONCE = 2000;
const editors = new WeakMap();

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let editor = editors.get(parentElement);
  if (!editor) {
    editor = new TableEditor(parentElement);
    editors.set(parentElement, editor);
  }
  editor.send = (payload) => setStateValue("table", payload);
  if (editor.version !== data.version) editor.load(data);
  else editor.mark(data);
}

class TableEditor {
  constructor(parent) {
    this.root = element("div", "editor");
    this.scroller = element("div", "scroller");
    this.table = element("table");
    this.head = element("thead");
    this.body = element("tbody");
    this.note = element("div", "note");
    this.table.append(this.head, this.body);
    this.scroller.append(this.table);
    this.root.append(this.scroller, this.note);
    parent.append(this.root);
    this.version = null;
    this.seq = 0;
    this.marked = [];
    this.pending = false;
    this.entryColumn = 0;
    this.tabbing = false;
    this.listen();
  }

  load(data) {
    this.version = data.version;
    this.columns = data.columns;
    this.maxRows = data.maxRows;
    this.maxChars = data.maxChars;
    this.maxEditBytes = data.maxEditBytes;
    const rows = data.edits ?? data.rows.map((_, index) => index);
    this.rows = rows.map((row) =>
      typeof row === "number"
        ? { ref: row, cells: [...data.rows[row]], edited: false }
        : { ref: null, cells: [...row], edited: true },
    );
    this.seq = Math.max(this.seq, data.seq);
    this.head.replaceChildren(this.headerRow());
    this.body.replaceChildren();
    this.blank = null;
    this.drawn = 0;
    this.chunk = Math.max(50, Math.floor(CELLS_AT_ONCE / this.columns.length));
    this.drawMore(this.chunk);
    this.say("");
    this.mark(data);
  }

  headerRow() {
    const row = element("tr");
    row.append(element("th", "number", "#"));
    for (const name of this.columns) {
      const cell = element("th", "", name);
      cell.title = name;
      row.append(cell);
    }
    row.append(element("th", "delete"));
    return row;
  }

  drawMore(count) {
    const end = Math.min(this.rows.length, this.drawn + count);
    const fragment = document.createDocumentFragment();
    for (let index = this.drawn; index < end; index++) fragment.append(this.rowElement(index));
    this.drawn = end;
    if (this.blank) this.body.insertBefore(fragment, this.blank);
    else this.body.append(fragment);
    if (this.drawn === this.rows.length && !this.blank) {
      this.blank = this.rowElement(null);
      this.body.append(this.blank);
    }
  }

  rowElement(index) {
    const row = element("tr", index === null ? "blank" : "");
    row.append(element("td", "number"));
    this.columns.forEach((name, column) => {
      const box = element("input");
      box.type = "text";
      box.maxLength = this.maxChars;
      box.spellcheck = false;
      box.autocomplete = "off";
      box.value = index === null ? "" : this.rows[index].cells[column];
      const cell = element("td");
      cell.append(box);
      row.append(cell);
    });
    const remove = element("button", "delete", "×");
    remove.type = "button";
    remove.tabIndex = -1;
    const cell = element("td", "delete");
    cell.append(remove);
    row.append(cell);
    this.number(row, index);
    return row;
  }

  number(row, index) {
    row.cells[0].textContent = index === null ? "+" : String(index + 1);
    const name = index === null ? "New row" : `Row ${index + 1}`;
    this.columns.forEach((column, position) => {
      row.cells[position + 1].firstChild.setAttribute("aria-label", `${name}, ${column}`);
    });
    row.lastChild.firstChild.setAttribute("aria-label", `Delete ${name.toLowerCase()}`);
    row.lastChild.firstChild.title = "Delete this row";
  }

  listen() {
    this.body.addEventListener("input", (event) => this.typed(event.target));
    this.body.addEventListener("focusout", () => this.commit());
    this.body.addEventListener("focusin", (event) => this.focused(event.target));
    this.body.addEventListener("keydown", (event) => this.key(event));
    this.body.addEventListener("paste", (event) => this.paste(event));
    this.body.addEventListener("click", (event) => {
      const button = event.target.closest("button.delete");
      if (button) this.remove(button.closest("tr"));
    });
    this.scroller.addEventListener("scroll", () => {
      const { scrollTop, clientHeight, scrollHeight } = this.scroller;
      if (scrollTop + clientHeight > scrollHeight - 200) this.drawMore(this.chunk);
    });
  }

  where(box) {
    const row = box.closest("tr");
    return { row, index: row.sectionRowIndex, column: box.closest("td").cellIndex - 1 };
  }

  typed(box) {
    this.lastBox = box;
    const { row, index, column } = this.where(box);
    if (row === this.blank && !this.grow()) {
      box.value = "";
      return;
    }
    this.rows[index].cells[column] = box.value;
    this.rows[index].edited = true;
    this.pending = true;
  }

  // Turn the blank row into a real one and put a new blank row under it; false when the table is full.
  grow() {
    if (this.rows.length >= this.maxRows) {
      this.say(`The table holds at most ${this.maxRows.toLocaleString("en")} rows.`);
      return false;
    }
    const row = this.blank;
    row.classList.remove("blank");
    this.rows.push({ ref: null, cells: this.columns.map(() => ""), edited: true });
    this.drawn = this.rows.length;
    this.number(row, this.rows.length - 1);
    this.blank = this.rowElement(null);
    this.body.append(this.blank);
    return true;
  }

  message() {
    return { version: this.version, seq: this.seq + 1, rows: this.rows.map((row) => (row.edited ? row.cells : row.ref)) };
  }

  commit() {
    if (!this.pending) return;
    const message = this.message();
    const size = utf8Bytes(JSON.stringify(message));
    if (size > this.maxEditBytes) {
      this.takeBack(this.lastBox);
      this.say(`Not sent: this edit would make the table ${megabytes(size)}; the page takes up to ${megabytes(this.maxEditBytes)}. It was taken back.`);
      return;
    }
    this.pending = false;
    this.seq = message.seq;
    this.send(message);
  }

  // The box's value as it was when it got the focus (its edit is refused), and the rows to match.
  takeBack(box) {
    this.pending = false;
    if (!box || !box.isConnected) return;
    box.value = this.valueOnFocus ?? "";
    const { index, column } = this.where(box);
    if (this.rows[index]) this.rows[index].cells[column] = box.value;
  }

  focused(box) {
    if (box.tagName !== "INPUT") return;
    const { index, column } = this.where(box);
    this.valueOnFocus = box.value;
    if (!this.tabbing || index !== this.lastRow) this.entryColumn = column;
    this.lastRow = index;
    this.tabbing = false;
    if (index >= this.drawn - 5) this.drawMore(this.chunk);
  }

  key(event) {
    const box = event.target;
    if (box.tagName !== "INPUT" || event.isComposing) return;
    const { index, column } = this.where(box);
    if (event.key === "Tab") {
      this.tabbing = true;
    } else if (event.key === "Enter") {
      event.preventDefault();
      this.move(index + (event.shiftKey ? -1 : 1), event.shiftKey ? column : this.entryColumn);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      this.move(index + (event.key === "ArrowDown" ? 1 : -1), column);
    } else if (event.key === "Escape" && box.value !== this.valueOnFocus) {
      box.value = this.valueOnFocus;
      this.typed(box);
      const row = this.rows[index];
      if (row.ref === null && row.cells.every((cell) => cell === "") && index === this.rows.length - 1) {
        this.remove(box.closest("tr"), this.blank.cells[column + 1].firstChild);
      }
    }
  }

  move(index, column) {
    if (index < 0) return;
    if (index >= this.drawn && this.drawn < this.rows.length) this.drawMore(this.chunk);
    const row = this.body.rows[Math.min(index, this.body.rows.length - 1)];
    const box = row.cells[column + 1].firstChild;
    box.focus();
    box.select();
  }

  // A block copied from a spreadsheet (tabs between cells, a line per row) fills cells from here on.
  paste(event) {
    const text = event.clipboardData.getData("text/plain").replace(/\r\n?/g, "\n").replace(/\n$/, "");
    if (!text.includes("\t") && !text.includes("\n")) return;
    event.preventDefault();
    const size = utf8Bytes(JSON.stringify(this.message())) + utf8Bytes(text);
    if (size > this.maxEditBytes) {
      this.say(`Not pasted: the table would hold about ${megabytes(size)}; the page takes up to ${megabytes(this.maxEditBytes)}. Paste fewer rows or shorter cells.`);
      return;
    }
    const start = this.where(event.target);
    const lines = text.split("\n");
    let leftOut = 0;
    for (let offset = 0; offset < lines.length; offset++) {
      const index = start.index + offset;
      while (index >= this.drawn && this.drawn < this.rows.length) this.drawMore(this.chunk);
      if (index >= this.rows.length && !this.grow()) break;
      const cells = lines[offset].split("\t");
      leftOut += Math.max(0, cells.length - (this.columns.length - start.column));
      const row = this.body.rows[index];
      cells.slice(0, this.columns.length - start.column).forEach((value, position) => {
        const box = row.cells[start.column + position + 1].firstChild;
        box.value = value.slice(0, this.maxChars);
        this.typed(box);
      });
    }
    if (leftOut) this.say(`${leftOut} pasted cell${leftOut > 1 ? "s" : ""} beyond the last column left out.`);
    this.commit();
  }

  remove(row, focusAfter = null) {
    if (row === this.blank) return;
    const index = row.sectionRowIndex;
    this.rows.splice(index, 1);
    row.remove();
    if (focusAfter) focusAfter.focus();
    this.drawn -= 1;
    for (let later = index; later < this.drawn; later++) this.number(this.body.rows[later], later);
    this.say("");
    this.pending = true;
    this.commit();
  }

  // Marks from Python describe the rows it was last sent; after newer edits they wait for the next run.
  mark(data) {
    if (data.seq !== this.seq) return;
    for (const box of this.marked) {
      box.classList.remove("bad");
      box.removeAttribute("title");
    }
    this.marked = [];
    for (const [index, column, message] of data.marks) {
      const row = this.body.rows[index];
      if (!row || row === this.blank || index >= this.drawn) continue;
      const box = row.cells[column + 1].firstChild;
      box.classList.add("bad");
      box.title = message;
      this.marked.push(box);
    }
  }

  say(text) {
    this.note.textContent = text || "Type in the last row to add one · Tab, Enter and the arrow keys move between cells · paste a block from a spreadsheet";
  }
}

function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

// "é" is one character but two bytes on the wire, "中" three: the limit is on what travels.
function utf8Bytes(text) {
  return new TextEncoder().encode(text).length;
}

function element(tag, className = "", text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  return node;
}
