// Times the JavaScript half of `ha takeover` inside the guest: reading the standby's journal
// (HaJournal.read: checkpoint + log, every record decoded and checked) and planning the
// takeover (planTakeover), in a fresh process like the CLI, then twice more (warm).
//   node bench/ha-journal-read.mjs HA_BUNDLE JOURNAL
const [lib, journal] = process.argv.slice(2);
const t0 = performance.now();
const { HaJournal, planTakeover } = await import(lib);
const loadMs = performance.now() - t0;
const runs = [];
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  const m = await HaJournal.read(journal);
  const t1 = performance.now();
  planTakeover(m, { outboundSeqMargin: 65536n });
  runs.push({ readMs: t1 - t, planMs: performance.now() - t1, sas: m.sas().length, policies: m.policies().length });
}
console.log(JSON.stringify({ loadMs, runs }));
