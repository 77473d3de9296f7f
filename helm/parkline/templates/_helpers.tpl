{{/*
Chart name, truncated to 63 characters.
*/}}
{{- define "parkline.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Name prefix of every resource: <release>-parkline, or the release name alone when it
already contains the chart name. Truncated so "<prefix>-<service>" fits in 63 characters.
*/}}
{{- define "parkline.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 48 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 48 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 48 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Name of one service's resources. Call with (dict "root" $ "name" "enterprises").
*/}}
{{- define "parkline.serviceName" -}}
{{- printf "%s-%s" (include "parkline.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels common to every resource of the release.
*/}}
{{- define "parkline.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "parkline.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: parkline
{{- end }}

{{/*
Selector labels shared by all services of the release.
*/}}
{{- define "parkline.selectorLabels" -}}
app.kubernetes.io/name: {{ include "parkline.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels of one service. Call with (dict "root" $ "name" "enterprises").
*/}}
{{- define "parkline.componentLabels" -}}
{{ include "parkline.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/*
Selector labels of one service. Call with (dict "root" $ "name" "enterprises").
*/}}
{{- define "parkline.componentSelectorLabels" -}}
{{ include "parkline.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/*
ServiceAccount name.
*/}}
{{- define "parkline.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "parkline.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference.
*/}}
{{- define "parkline.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
Environment variable name of a service's gRPC address, e.g. PARKLINE_ENTERPRISES_ADDRESS.
*/}}
{{- define "parkline.addressEnvName" -}}
{{- printf "PARKLINE_%s_ADDRESS" (. | upper | replace "-" "_") }}
{{- end }}
