package typings

import (
	"sort"
	"strings"
)

// WebhookTopics maps each webhook topic icscript knows (the sandbox emits
// them, `icscript trigger` has a fixture for them; a test in package
// webhook holds the three lists together) to the schema of its data.item.
var WebhookTopics = map[string]string{
	"conversation.user.created":   "conversation",
	"conversation.user.replied":   "conversation",
	"conversation.admin.replied":  "conversation",
	"conversation.admin.noted":    "conversation",
	"conversation.admin.closed":   "conversation",
	"conversation.admin.opened":   "conversation",
	"conversation.admin.snoozed":  "conversation",
	"conversation.admin.assigned": "conversation",
	"contact.user.created":        "contact",
	"contact.lead.created":        "contact",
	"contact.tag.created":         "contact_tag",
	"contact.tag.deleted":         "contact_tag",
	"ticket.created":              "ticket",
	"ticket.state.updated":        "ticket",
}

// webhookHelpers are the types of `icscript listen` handler files.
const webhookHelpers = `
  // ---- Webhooks: the handler files of icscript listen ----

  /** A webhook notification as Intercom sends it. */
  interface WebhookEvent<Topic extends string = string, Item = any> {
    type: "notification_event";
    app_id: string;
    /** The delivery's id: a delivery seen before is not handled again. */
    id: string;
    topic: Topic;
    created_at: number;
    delivery_attempts: number;
    first_sent_at: number;
    data: { type: "notification_event_data"; item: Item };
  }

  /** The item of contact.tag.created and contact.tag.deleted. */
  interface ContactTag {
    type: "contact_tag";
    created_at: number;
    tag: Tag;
    contact: Contact;
  }

  /** A handler file's default export: a handler per topic, and "*" for the
   * topics without one. (A topic icscript has no type for is refused here:
   * handle it in "*", or leave out the satisfies.) */
  type WebhookHandlers = {
    [T in keyof WebhookTopics]?: (event: WebhookEvent<T, WebhookTopics[T]>) => unknown;
  } & {
    "*"?: (event: WebhookEvent) => unknown;
  };
`

// writeWebhooks writes WebhookTopics (topic → item type) and the helpers.
func writeWebhooks(b *strings.Builder) {
	b.WriteString(webhookHelpers)
	b.WriteString("\n  /** The item type of each topic. */\n  interface WebhookTopics {\n")
	topics := make([]string, 0, len(WebhookTopics))
	for t := range WebhookTopics {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	for _, t := range topics {
		b.WriteString("    \"" + t + "\": " + typeName(WebhookTopics[t]) + ";\n")
	}
	b.WriteString("  }\n")
}
