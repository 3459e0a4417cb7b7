// Mock panel templates users made: each user sees and uses only their own (plus the built-in ones).
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { panelTemplates } from '../db/schema.js';
import type { PanelTemplateBody } from '../../contract/index.js';

/** The owner's templates, oldest first. */
export async function listOf(db: Db, ownerId: string): Promise<PanelTemplateBody[]> {
  const rows = await db
    .select({ template: panelTemplates.template })
    .from(panelTemplates)
    .where(eq(panelTemplates.ownerId, ownerId))
    .orderBy(asc(panelTemplates.createdAt), asc(panelTemplates.id));
  return rows.map((r) => r.template);
}

export async function ofOwner(db: Db, ownerId: string, id: string): Promise<PanelTemplateBody | undefined> {
  const [row] = await db
    .select({ template: panelTemplates.template })
    .from(panelTemplates)
    .where(and(eq(panelTemplates.ownerId, ownerId), eq(panelTemplates.id, id)));
  return row?.template;
}

/** Saves a new template; false when the owner already has one with its id. */
export async function create(db: Db, ownerId: string, template: PanelTemplateBody): Promise<boolean> {
  const inserted = await db
    .insert(panelTemplates)
    .values({ ownerId, id: template.id, template })
    .onConflictDoNothing()
    .returning({ id: panelTemplates.id });
  return inserted.length > 0;
}

/** Replaces the owner's template `id` (its id stays); false when the owner has none with that id. */
export async function update(db: Db, ownerId: string, template: PanelTemplateBody): Promise<boolean> {
  const updated = await db
    .update(panelTemplates)
    .set({ template })
    .where(and(eq(panelTemplates.ownerId, ownerId), eq(panelTemplates.id, template.id)))
    .returning({ id: panelTemplates.id });
  return updated.length > 0;
}

/**
 * Deletes the owner's template `id`; false when there was none. Sessions made from it keep their own copy
 * (sessions.panel.template), so a running or finished panel still has its panelists and debrief.
 */
export async function remove(db: Db, ownerId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(panelTemplates)
    .where(and(eq(panelTemplates.ownerId, ownerId), eq(panelTemplates.id, id)))
    .returning({ id: panelTemplates.id });
  return deleted.length > 0;
}
