CREATE TABLE "review_comment_marks" (
	"request_id" text NOT NULL,
	"comment_id" text NOT NULL,
	"resolved" boolean DEFAULT false NOT NULL,
	"helpful" boolean DEFAULT false NOT NULL,
	CONSTRAINT "review_comment_marks_request_id_comment_id_pk" PRIMARY KEY("request_id","comment_id")
);
--> statement-breakpoint
CREATE TABLE "review_replies" (
	"id" text PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"comment_id" text NOT NULL,
	"author_id" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_comment_marks" ADD CONSTRAINT "review_comment_marks_request_id_review_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."review_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_replies" ADD CONSTRAINT "review_replies_request_id_review_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."review_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_replies_request_idx" ON "review_replies" USING btree ("request_id","created_at");