import { errorMessage } from './api';

/** What a page's buttons run: busy while one runs (they disable themselves), its failure shown after. */
export class Action {
  busy = $state(false);
  error = $state('');

  async run(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      await work();
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }
}
