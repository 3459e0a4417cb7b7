CREATE TABLE "panel_templates" (
	"owner_id" text NOT NULL,
	"id" text NOT NULL,
	"template" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "panel_templates_owner_id_id_pk" PRIMARY KEY("owner_id","id")
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "panel" jsonb;--> statement-breakpoint
ALTER TABLE "turns" ADD COLUMN "panel" jsonb;--> statement-breakpoint
ALTER TABLE "panel_templates" ADD CONSTRAINT "panel_templates_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;