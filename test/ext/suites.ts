import { activationSuite } from './suite/activation.test';
import { alyxSuite } from './suite/alyx.test';
import { alyxStatusSuite } from './suite/status.test';
import { registerUnregisteredSuite } from './suite/registerUnregistered.test';
import { alyxFormsSuite } from './suite/alyxforms.test';
import { cacheSuite } from './suite/cache.test';
import { diagnosticsSuite } from './suite/diagnostics.test';
import { errorsSuite } from './suite/errors.test';
import { fixesSuite } from './suite/fixes.test';
import { performanceSuite } from './suite/performance.test';
import { statusPerformanceSuite } from './suite/statusPerformance.test';
import { sessionsTreeSuite } from './suite/sessionsTree.test';
import { viewerSuite } from './suite/viewer.test';
import { watcherSuite } from './suite/watcher.test';

/** In run order: the performance suites last, as they add a large data root. */
export const suites: (() => void)[] = [activationSuite, sessionsTreeSuite, diagnosticsSuite, errorsSuite, watcherSuite, cacheSuite, viewerSuite, alyxSuite, alyxFormsSuite, alyxStatusSuite, registerUnregisteredSuite, fixesSuite, performanceSuite, statusPerformanceSuite];
