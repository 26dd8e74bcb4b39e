/**
 * The worker thread of GbfsValidatorThread: reads each document it is sent and checks
 * it against the official schema of its version, off the server's event loop (Ajv's
 * load, each schema's compile and a 5,000-station document's check are each tens of ms).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GbfsValidator, type ValidationReport } from './gbfs-validate.js';

interface Ask {
  id: number;
  file: string;
  body: string;
}

const validator = new GbfsValidator((workerData as { schemasDir: string | null }).schemasDir);
parentPort?.on('message', ({ id, file, body }: Ask) => {
  let report: ValidationReport;
  try {
    report = validator.validate(file, JSON.parse(body) as unknown);
  } catch (e) {
    report = { file, schema: null, valid: null, errorCount: 0, deviations: [], note: `not validated: ${(e as Error).message}` };
  }
  parentPort?.postMessage({ id, report });
});
