// vardval web worker: runs the WebAssembly calculator off the page's main
// thread. Messages in: {id, op, ...}; out: {id, ok, result} or {id, ok:
// false, error}, and {type: "progress", ...} while a region is read.
// Files are read here with FileReaderSync, slice by slice, so a large
// file is never held whole in memory and never leaves the computer.
"use strict";
importScripts("wasm_exec.js");

let ready = null;
let memory = null; // the module's linear memory, for the processed-in note

function start() {
  if (ready) return ready;
  ready = (async () => {
    const go = new Go();
    const resp = await fetch("vardval.wasm");
    if (!resp.ok) throw new Error("vardval.wasm: HTTP " + resp.status);
    let inst;
    if (WebAssembly.instantiateStreaming) {
      try {
        inst = await WebAssembly.instantiateStreaming(resp.clone(), go.importObject);
      } catch (e) {
        inst = null; // wrong MIME type on a static host: fall back below
      }
    }
    if (!inst) {
      const bytes = await resp.arrayBuffer();
      inst = await WebAssembly.instantiate(bytes, go.importObject);
    }
    memory = inst.instance.exports.mem || null;
    go.run(inst.instance);
    // The Go main registers globalThis.vardval and then waits.
    for (let i = 0; i < 100 && !self.vardval; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    if (!self.vardval) throw new Error("the calculator did not start");
    return self.vardval;
  })();
  return ready;
}

function reply(id, res) {
  // Go returns JSON text: {"result": ...} or {"error": {...}}.
  const v = typeof res === "string" ? JSON.parse(res) : res;
  if (v && v.error) {
    self.postMessage({ id, ok: false, error: v.error });
  } else {
    self.postMessage({ id, ok: true, result: v.result });
  }
}

// timed runs fn(progress), the region or reprice call, and adds to its
// result the time taken, the time of each stage (the first, named first,
// until the first stage reported; then measures, payment and funnel
// plots) and the module's memory.
function timed(first, fn) {
  const t0 = performance.now();
  const marks = [];
  const progress = (p) => {
    const pr = JSON.parse(p);
    if (pr.stage !== "read") marks.push([pr.stage, performance.now()]);
    self.postMessage({ type: "progress", progress: pr });
  };
  const res = JSON.parse(fn(progress));
  if (res.result) {
    res.result.elapsed_ms = Math.round(performance.now() - t0);
    const stages = {};
    let prev = [first, t0];
    for (const m of marks) {
      if (m[0] !== prev[0]) stages[prev[0]] = Math.round(m[1] - prev[1]);
      prev = m;
    }
    res.result.stages_ms = stages;
    if (memory) res.result.memory_bytes = memory.buffer.byteLength;
  }
  return res;
}

self.onmessage = async (ev) => {
  const msg = ev.data;
  const id = msg.id;
  try {
    const vv = await start();
    switch (msg.op) {
      case "init":
        reply(id, vv.models());
        break;
      case "warm":
        vv.warm(msg.year);
        self.postMessage({ id, ok: true, result: null });
        break;
      case "describe":
        reply(id, vv.describe(JSON.stringify(msg.req)));
        break;
      case "region": {
        const files = msg.files;
        const meta = files.map((f) => ({ name: f.name, size: f.size }));
        const reader = new FileReaderSync();
        // A file the browser can no longer read (changed or moved after it
        // was chosen) gives null, which the calculator reports as that
        // file's error instead of failing.
        const read = (i, off, n) => {
          try {
            return new Uint8Array(reader.readAsArrayBuffer(files[i].slice(off, off + n)));
          } catch (e) {
            return null;
          }
        };
        reply(id, timed("read", (progress) => vv.region(JSON.stringify(msg.req), JSON.stringify(meta), read, progress)));
        break;
      }
      case "reprice":
        // The region the last "region" loaded, under another model, year or
        // month: nothing is read.
        reply(id, timed(msg.req && msg.req.no_measures ? "payment" : "measures", (progress) => vv.reprice(JSON.stringify(msg.req), progress)));
        break;
      case "vary": {
        // The loaded region with one parameter of the model changed (the
        // page's slider): priced from the sums kept in the worker.
        const t0 = performance.now();
        const res = JSON.parse(vv.vary(JSON.stringify(msg.req)));
        if (res.result) res.result.elapsed_ms = Math.round(performance.now() - t0);
        reply(id, res);
        break;
      }
      case "download": {
        const d = vv.download(msg.format, msg.unit || "");
        if (d.error) {
          self.postMessage({ id, ok: false, error: d.error });
        } else {
          self.postMessage({ id, ok: true, result: { name: d.name, type: d.type, data: d.data } }, [d.data.buffer]);
        }
        break;
      }
      default:
        self.postMessage({ id, ok: false, error: { message: "unknown operation " + msg.op } });
    }
  } catch (e) {
    self.postMessage({ id, ok: false, error: { message: String(e && e.message ? e.message : e) } });
  }
};
