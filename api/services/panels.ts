// Mock panel templates: the built-in ones (agents/panel/templates.ts) and each user's own. A template is
// checked twice: its shape by the contract (400), then what only the question bank knows by the panel's own
// validator (422: a competency without questions, a veto without a bar raiser, two panelists on one voice).
// A user edits and deletes only their own templates: a built-in one is a 403 (everyone sees it, nobody owns
// it), another user's a 404 (it does not exist for them). Sessions keep a copy of the template they ran on
// (sessions.panel.template), so editing or deleting one leaves every session made from it as it was.
import { Forbidden, Unprocessable } from '../../core/errors.js';
import * as panels from '../../core/stores/panels.js';
import { parsePanelTemplate, type PanelTemplate } from '../../agents/panel/template.js';
import { PANEL_TEMPLATES } from '../../agents/panel/templates.js';
import type { PanelTemplateBody, PanelTemplateEntry } from '../../contract/index.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { ApiDeps } from '../context.js';

const builtIn = (id: string) => PANEL_TEMPLATES.find((t) => t.id === id);

const readOnly = (id: string) =>
  new Forbidden(
    `${id} is a built-in panel: it cannot be changed or deleted; make a panel of your own instead`,
  );

/** The panel's own checks (agents/panel/template.ts) as a 422 listing every problem. */
function runnable(body: PanelTemplateBody): PanelTemplate {
  try {
    return parsePanelTemplate(body);
  } catch (err) {
    throw new Unprocessable((err as Error).message);
  }
}

export function createPanelService({ db }: Pick<ApiDeps, 'db'>) {
  return {
    async list(ownerId: string): Promise<PanelTemplateEntry[]> {
      const own = await panels.listOf(db, ownerId);
      return [
        ...PANEL_TEMPLATES.map((t) => ({ ...t, builtIn: true })),
        ...own.map((t) => ({ ...t, builtIn: false })),
      ];
    },

    /** The template a new session runs on: a built-in one, or one of the owner's; else a 400. */
    async resolve(ownerId: string, id: string): Promise<PanelTemplate> {
      const found = builtIn(id) ?? (await panels.ofOwner(db, ownerId, id));
      if (!found) throw badRequest(`panel template ${id} does not exist`);
      return parsePanelTemplate(found);
    },

    async create(ownerId: string, body: PanelTemplateBody): Promise<PanelTemplateEntry> {
      const template = runnable(body);
      if (builtIn(template.id))
        throw conflict(`${template.id} is the id of a built-in panel; choose another`);
      if (!(await panels.create(db, ownerId, template)))
        throw conflict(`you already have a panel template with the id ${template.id}`);
      return { ...template, builtIn: false };
    },

    /** Replaces the owner's template `id` with `body`, checked as on create; its id cannot change. */
    async update(ownerId: string, id: string, body: PanelTemplateBody): Promise<PanelTemplateEntry> {
      if (builtIn(id)) throw readOnly(id);
      if (!(await panels.ofOwner(db, ownerId, id))) throw notFound(`panel template ${id}`);
      if (body.id !== id)
        throw badRequest(
          `id: a panel template keeps its id (${id}); to use the id ${body.id}, make a new panel`,
        );
      const template = runnable(body);
      if (!(await panels.update(db, ownerId, template))) throw notFound(`panel template ${id}`);
      return { ...template, builtIn: false };
    },

    /** Deletes the owner's template `id`; the sessions made from it keep their copy. */
    async remove(ownerId: string, id: string): Promise<void> {
      if (builtIn(id)) throw readOnly(id);
      if (!(await panels.remove(db, ownerId, id))) throw notFound(`panel template ${id}`);
    },
  };
}
