/* The command table: one line per command; help is generated from it. */
#include "cli/cli.h"
#include "cli/commands.h"

const struct cmd_entry *const cli_commands[] = {
	&cmd_whoami_entry,
	&cmd_help_entry,
	&cmd_post_entry,
	&cmd_show_entry,
	&cmd_edit_entry,
	&cmd_delete_entry,
	&cmd_feed_entry,
	&cmd_like_entry,
	&cmd_unlike_entry,
	&cmd_react_entry,
	&cmd_comment_entry,
	&cmd_comments_entry,
	&cmd_share_entry,
	&cmd_profile_entry,
	&cmd_friends_entry,
	&cmd_requests_entry,
	&cmd_friend_entry,
	&cmd_block_entry,
	&cmd_unblock_entry,
	&cmd_notifications_entry,
	&cmd_dm_entry,
	&cmd_messages_entry,
	&cmd_search_entry,
	&cmd_upload_entry,
	&cmd_media_entry,
	&cmd_settings_entry,
	&cmd_keys_entry,
	NULL
};
