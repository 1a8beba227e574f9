import { bootBuildForm } from './buildForm.js';
import { bootReleaseForm } from './releaseForm.js';
import { bootTable } from './tableView.js';
import { bootSearchResults } from './searchResults.js';
import { bootNpy, bootObject, bootSearch } from './localViews.js';
import { bootAlyxRecordForm } from './alyxRecordForm.js';
import { bootRegisterForm } from './registerForm.js';
import { bootRegisterUnregisteredForm } from './registerUnregisteredForm.js';

/** Starts the UI the page asks for through <body data-view>. */
export function boot(): void {
  const app = document.getElementById('app');
  if (!app) return;
  switch (document.body.dataset.view) {
    case 'buildCache':
      bootBuildForm(app);
      break;
    case 'table':
      bootTable(app);
      break;
    case 'search':
      bootSearch(app);
      break;
    case 'searchResults':
      bootSearchResults(app);
      break;
    case 'npy':
      bootNpy(app);
      break;
    case 'object':
      bootObject(app);
      break;
    case 'registerSession':
      bootRegisterForm(app);
      break;
    case 'registerUnregistered':
      bootRegisterUnregisteredForm(app);
      break;
    case 'packageRelease':
      bootReleaseForm(app);
      break;
    case 'alyxRecord':
      bootAlyxRecordForm(app);
      break;
    default:
      app.textContent = 'Unknown ALF view.';
  }
}
