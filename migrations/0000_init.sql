CREATE TABLE `dataset` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` text NOT NULL,
	`seed_hash` text NOT NULL,
	`built_at` text NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `dimensions` (
	`key` text PRIMARY KEY NOT NULL,
	`topic` text NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`question` text NOT NULL,
	`baseline` text NOT NULL,
	`keywords` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`topic`) REFERENCES `topics`(`slug`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `dimensions_topic_idx` ON `dimensions` (`topic`,`position`);--> statement-breakpoint
CREATE TABLE `divergences` (
	`dimension_key` text PRIMARY KEY NOT NULL,
	`summary` text NOT NULL,
	`severity` text NOT NULL,
	`example` text NOT NULL,
	FOREIGN KEY (`dimension_key`) REFERENCES `dimensions`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `facts` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`topic` text NOT NULL,
	`dimension_key` text NOT NULL,
	`variant` text,
	`is_default` integer NOT NULL,
	`value` text NOT NULL,
	`details` text NOT NULL,
	`verified` text NOT NULL,
	`confidence` text NOT NULL,
	`tags` text NOT NULL,
	`position` integer NOT NULL,
	`origin` text DEFAULT 'seed' NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`provider`) REFERENCES `providers`(`slug`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`topic`) REFERENCES `topics`(`slug`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`dimension_key`) REFERENCES `dimensions`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `facts_dimension_idx` ON `facts` (`dimension_key`,`provider`,`position`);--> statement-breakpoint
CREATE INDEX `facts_topic_idx` ON `facts` (`topic`);--> statement-breakpoint
CREATE INDEX `facts_verified_idx` ON `facts` (`verified`);--> statement-breakpoint
CREATE TABLE `migration_notes` (
	`dimension_key` text NOT NULL,
	`from_provider` text NOT NULL,
	`to_provider` text NOT NULL,
	`note` text NOT NULL,
	PRIMARY KEY(`dimension_key`, `from_provider`, `to_provider`),
	FOREIGN KEY (`dimension_key`) REFERENCES `dimensions`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `providers` (
	`slug` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kubernetes_service` text NOT NULL,
	`kubernetes_service_short` text NOT NULL,
	`aliases` text NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`fact_id` text,
	`action` text NOT NULL,
	`actor` text NOT NULL,
	`at` text NOT NULL,
	`before` text,
	`after` text,
	`dataset_version` text NOT NULL,
	`unexported` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `revisions_fact_idx` ON `revisions` (`fact_id`,`id`);--> statement-breakpoint
CREATE INDEX `revisions_at_idx` ON `revisions` (`at`);--> statement-breakpoint
CREATE TABLE `sources` (
	`fact_id` text NOT NULL,
	`position` integer NOT NULL,
	`url` text NOT NULL,
	`title` text NOT NULL,
	PRIMARY KEY(`fact_id`, `position`),
	FOREIGN KEY (`fact_id`) REFERENCES `facts`(`id`) ON UPDATE cascade ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `topics` (
	`slug` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`aliases` text NOT NULL,
	`position` integer NOT NULL
);
