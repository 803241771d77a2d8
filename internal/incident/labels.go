package incident

import (
	"fmt"
	"strings"
	"time"
)

// labels are the words people read for enum values; JSON keeps the keys.
var labels = map[string]string{
	"ransomware": "Ransomware", "business_email_compromise": "Business email compromise", "data_breach": "Data breach",
	"malware": "Malware", "insider_threat": "Insider threat", "denial_of_service": "Denial of service",
	"account_compromise": "Account compromise", "lost_or_stolen_device": "Lost or stolen device", "other": "Other",
	"detection_analysis": "Detection & analysis", "containment": "Containment", "eradication": "Eradication",
	"recovery": "Recovery", "post_incident": "Post-incident",
	"open": "Open", "closed": "Closed", "in_progress": "In progress", "blocked": "Blocked", "done": "Done", "cancelled": "Cancelled",
	"clear": "TLP:CLEAR", "green": "TLP:GREEN", "amber": "TLP:AMBER", "amber_strict": "TLP:AMBER+STRICT", "red": "TLP:RED",
	"SEV1": "SEV1 · Critical", "SEV2": "SEV2 · High", "SEV3": "SEV3 · Medium", "SEV4": "SEV4 · Low",
	"first_compromise": "First compromise", "detected": "Detected", "declared": "Declared", "contained": "Contained",
	"eradicated": "Eradicated", "recovered": "Recovered",
	"note": "Note", "action": "Action", "decision": "Decision", "communication": "Communication", "attacker_activity": "Attacker activity",
	"correction": "Correction", "incident_declared": "Declared", "incident_updated": "Updated", "milestone_set": "Milestone",
	"role_assigned": "Role assigned", "role_released": "Role released", "role_handed_over": "Hand-over",
	"task_created": "Task created", "task_updated": "Task updated", "plan_applied": "Plan",
	"page_started": "Paged", "page_escalated": "Escalated", "page_acknowledged": "Acknowledged",
	"evidence_collected": "Evidence collected", "evidence_transferred": "Evidence transferred", "evidence_accessed": "Evidence accessed",
	"evidence_exported": "Evidence exported", "evidence_returned": "Evidence returned", "evidence_destroyed": "Evidence destroyed",
	"indicator_added": "Indicator added", "indicator_merged": "Indicator seen again", "indicator_updated": "Indicator updated", "indicators_imported": "Indicators imported", "indicators_sighted": "Sweep",
	"obligation_facts_updated": "Notification facts", "obligation_status_changed": "Notification status",
	"indicator_deleted": "Indicator removed",
	"viewer":            "Viewer", "responder": "Responder", "admin": "Admin",
}

// Label is the human name of an enum value (a type, phase, status, TLP,
// severity, milestone, task status or timeline kind), for people rather
// than programs.
func Label(v any) string {
	s := fmt.Sprint(v)
	if l, ok := labels[s]; ok {
		return l
	}
	return strings.ReplaceAll(s, "_", " ")
}

// HumanDuration says how long, the way a responder says it: 3d 4h,
// 2h 05m, 12m. Negative durations read as zero.
func HumanDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	days := int(d.Hours()) / 24
	h := int(d.Hours()) % 24
	m := int(d.Minutes()) % 60
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %dh", days, h)
	case h > 0:
		return fmt.Sprintf("%dh %02dm", h, m)
	}
	return fmt.Sprintf("%dm", m)
}

// Countdown says how long until due at now ("in 2d 4h") or how late
// ("overdue 3h 05m"), to the minute.
func Countdown(due, now time.Time) string {
	d := due.Sub(now).Round(time.Minute)
	if d < 0 {
		return "overdue " + HumanDuration(-d)
	}
	return "in " + HumanDuration(d)
}
