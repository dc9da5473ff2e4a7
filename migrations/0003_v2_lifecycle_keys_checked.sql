DROP INDEX `facts_verified_idx`;--> statement-breakpoint
ALTER TABLE `facts` ADD `key` text;--> statement-breakpoint
ALTER TABLE `facts` ADD `status` text DEFAULT 'ga' NOT NULL;--> statement-breakpoint
ALTER TABLE `facts` ADD `applies` text;--> statement-breakpoint
ALTER TABLE `facts` ADD `changes` text;--> statement-breakpoint
ALTER TABLE `sources` ADD `checked` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- a fact's `verified` is now the oldest `checked` of its sources: rows loaded before keep their date that way
UPDATE `sources` SET `checked` = (SELECT `verified` FROM `facts` WHERE `facts`.`id` = `sources`.`fact_id`);--> statement-breakpoint
ALTER TABLE `facts` DROP COLUMN `verified`;--> statement-breakpoint
ALTER TABLE `dimensions` ADD `compare_by` text;--> statement-breakpoint
ALTER TABLE `dimensions` ADD `unit` text;--> statement-breakpoint
ALTER TABLE `dimensions` ADD `values` text;
