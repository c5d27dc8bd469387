package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Event is Intercom's notification envelope. Item stays raw JSON so that
// what was received is what a handler sees.
type Event struct {
	Type             string    `json:"type"` // always "notification_event"
	AppID            string    `json:"app_id"`
	Data             EventData `json:"data"`
	Links            struct{}  `json:"links"`
	ID               string    `json:"id"`
	Topic            string    `json:"topic"`
	DeliveryStatus   string    `json:"delivery_status"`
	DeliveryAttempts int       `json:"delivery_attempts"`
	DeliveredAt      int64     `json:"delivered_at"`
	FirstSentAt      int64     `json:"first_sent_at"`
	CreatedAt        int64     `json:"created_at"`
	Self             any       `json:"self"`
}

// EventData holds the notification's object.
type EventData struct {
	Type string          `json:"type"` // always "notification_event_data"
	Item json.RawMessage `json:"item"`
}

const (
	envelopeType = "notification_event"
	dataType     = "notification_event_data"
)

// NewEvent wraps item (JSON) in an envelope for topic.
func NewEvent(id, appID, topic string, item json.RawMessage, now int64) *Event {
	return &Event{
		Type: envelopeType, AppID: appID, ID: id, Topic: topic,
		Data:             EventData{Type: dataType, Item: item},
		DeliveryStatus:   "pending",
		DeliveryAttempts: 1, FirstSentAt: now, CreatedAt: now,
	}
}

// ParseEvent reads a notification body and checks that it has what the
// receiver relies on: the envelope type, an id and a topic.
func ParseEvent(body []byte) (*Event, error) {
	var ev Event
	if err := json.Unmarshal(body, &ev); err != nil {
		return nil, fmt.Errorf("not a notification: %w", err)
	}
	switch {
	case ev.Type != envelopeType:
		return nil, fmt.Errorf("not a notification: type is %q, want %q", ev.Type, envelopeType)
	case ev.ID == "":
		return nil, errors.New("not a notification: no id")
	case ev.Topic == "":
		return nil, errors.New("not a notification: no topic")
	}
	return &ev, nil
}
