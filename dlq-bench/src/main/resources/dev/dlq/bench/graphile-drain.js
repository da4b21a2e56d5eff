// The graphile-worker side of dev.dlq.bench.Drain (GraphileDrain): one long-lived Node process, so
// that its JIT warms up over the warm-up round like the bench JVM does. Commands on stdin, one a line:
//   prepare <n>  drop and migrate the schema, add n no-op jobs, ANALYZE + CHECKPOINT; answers "ready"
//   drain        start a runner, wait until every job has left the table;
//                answers "done <nanos> <completed> <executions> <left>", the runner still running
//   stop         stops the runner (apart, so that the bench reads the CPU of its connections first);
//                answers "stopped"
//   quit         ends the process
// Arguments: <schema> <concurrency>; the connection string in DLQ_BENCH_GRAPHILE_URL (not on the
// command line, where a password would show in the process list). Worker options as graphile-worker's
// performance page gives them (concurrency 24, pool 25, local queue 500, batched completions).
"use strict";
const { run, runMigrations, makeWorkerUtils, consoleLogFactory, Logger } = require("graphile-worker");
const { Pool } = require("pg");
const readline = require("readline");

const connectionString = process.env.DLQ_BENCH_GRAPHILE_URL;
const [schema, concurrencyArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const pool = new Pool({ connectionString, max: 2 });
// warnings and errors only: the drain prints its own lines
const logger = new Logger((scope) => {
  const log = consoleLogFactory(scope);
  return (level, message, meta) => {
    if (level === "error" || level === "warning") {
      log(level, message, meta);
    }
  };
});
let n = 0;
let runner = null;

async function prepare(count) {
  n = count;
  await pool.query(`drop schema if exists ${schema} cascade`);
  await runMigrations({ connectionString, schema, logger });
  const utils = await makeWorkerUtils({ connectionString, schema, logger });
  try {
    for (let from = 0; from < n; from += 1000) {
      const specs = [];
      for (let i = from; i < Math.min(n, from + 1000); i++) {
        specs.push({ identifier: "bench", payload: { n: i } });
      }
      await utils.addJobs(specs);
    }
  } finally {
    await utils.release();
  }
  await pool.query(`analyze ${schema}._private_jobs`);
  await pool.query("checkpoint").catch(() => {}); // not a superuser: the round may pay for a checkpoint
  return "ready";
}

async function left() {
  const r = await pool.query(`select count(*)::int as c from ${schema}._private_jobs`);
  return r.rows[0].c;
}

async function drain() {
  let completed = 0;
  let executions = 0;
  const t0 = process.hrtime.bigint();
  runner = await run({
    connectionString,
    schema,
    concurrency,
    maxPoolSize: concurrency + 1,
    noHandleSignals: true,
    logger,
    taskList: {
      bench: async () => {
        executions++;
        completed++;
      },
    },
    preset: {
      worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 },
    },
  });
  // the task counts before its completion is committed: then wait for the table to empty
  while (completed < n) {
    await new Promise((r) => setTimeout(r, 1));
  }
  let l;
  while ((l = await left()) > 0) {
    await new Promise((r) => setTimeout(r, 2));
  }
  const took = process.hrtime.bigint() - t0;
  return `done ${took} ${completed} ${executions} ${l}`;
}

const rl = readline.createInterface({ input: process.stdin });
let chain = Promise.resolve();
rl.on("line", (line) => {
  const [cmd, arg] = line.trim().split(/\s+/);
  chain = chain.then(async () => {
    try {
      if (cmd === "prepare") {
        console.log(await prepare(Number(arg)));
      } else if (cmd === "drain") {
        console.log(await drain());
      } else if (cmd === "stop") {
        if (runner) {
          await runner.stop();
          runner = null;
        }
        console.log("stopped");
      } else if (cmd === "quit") {
        await pool.end();
        process.exit(0);
      } else {
        console.log(`error unknown command ${cmd}`);
      }
    } catch (e) {
      console.log(`error ${String(e && e.message ? e.message : e).replace(/\s+/g, " ")}`);
    }
  });
});
rl.on("close", () => chain.then(() => pool.end()).then(() => process.exit(0)));
