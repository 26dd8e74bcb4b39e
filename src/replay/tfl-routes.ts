import type { ReplayRoute } from './replay-route.js';
import type { TflReplayData } from './tfl-replay-data.js';
import { renderNotFound } from './tfl-render.js';

/** GET /BikePoint and /BikePoint/{id}, from the snapshot current at the request's replay time. */
export function tflRoutes(data: TflReplayData): ReplayRoute {
  return {
    name: 'tfl',
    match(pathname) {
      if (pathname === '/BikePoint' || pathname === '/BikePoint/') {
        return (req) => {
          const s = data.snapshot(data.indexAt(req.replayNow));
          return { status: 200, body: s.body, etag: s.etag, lastModified: s.time };
        };
      }
      const m = /^\/BikePoint\/([^/]+)$/.exec(pathname);
      if (!m) return null;
      return (req) => {
        let id = m[1];
        try {
          id = decodeURIComponent(id);
        } catch {
          // A malformed escape is just an id we do not know.
        }
        const s = data.snapshot(data.indexAt(req.replayNow));
        const one = s.station(id);
        if (one === undefined) return { status: 404, body: renderNotFound(id, req.pathname, new Date()) };
        return { status: 200, body: one, lastModified: s.time };
      };
    },
  };
}
