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

{{/*
Kafka settings the services would refuse at start (libs/events/kafka_security.cc), refused at
render time instead so `helm install` fails rather than every pod.
*/}}
{{- define "parkline.kafkaValidate" -}}
{{- $k := .Values.kafka }}
{{- $tls := has $k.securityProtocol (list "SSL" "SASL_SSL") }}
{{- $sasl := has $k.securityProtocol (list "SASL_SSL" "SASL_PLAINTEXT") }}
{{- if and (eq $k.securityProtocol "SASL_PLAINTEXT") (not $k.allowSaslPlaintext) }}
{{- fail "kafka.securityProtocol=SASL_PLAINTEXT sends the login unencrypted: use SASL_SSL, or set kafka.allowSaslPlaintext" }}
{{- end }}
{{- if and (not $tls) (or $k.tls.caSecretName $k.tls.clientSecretName) }}
{{- fail (printf "kafka.tls.caSecretName and kafka.tls.clientSecretName need kafka.securityProtocol SSL or SASL_SSL (it is %s)" $k.securityProtocol) }}
{{- end }}
{{- if and (not $sasl) (or $k.sasl.username $k.sasl.passwordSecretName) }}
{{- fail (printf "kafka.sasl.username and kafka.sasl.passwordSecretName need kafka.securityProtocol SASL_SSL (it is %s)" $k.securityProtocol) }}
{{- end }}
{{- if $sasl }}
{{- if not (and $k.sasl.username $k.sasl.passwordSecretName) }}
{{- fail (printf "kafka.securityProtocol=%s needs kafka.sasl.username and kafka.sasl.passwordSecretName" $k.securityProtocol) }}
{{- end }}
{{- if and (eq $k.sasl.mechanism "PLAIN") (not $tls) }}
{{- fail "kafka.sasl.mechanism=PLAIN sends the password as it is: only with kafka.securityProtocol=SASL_SSL" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The Kafka client settings as the services' environment (PARKLINE_KAFKA_*), files mounted by
parkline.kafkaVolumeMounts.
*/}}
{{- define "parkline.kafkaEnv" -}}
{{- $k := .Values.kafka -}}
- name: PARKLINE_KAFKA_SECURITY_PROTOCOL
  value: {{ $k.securityProtocol | quote }}
{{- if $k.allowSaslPlaintext }}
- name: PARKLINE_KAFKA_ALLOW_SASL_PLAINTEXT
  value: "true"
{{- end }}
{{- if $k.tls.caSecretName }}
- name: PARKLINE_KAFKA_CA_FILE
  value: /etc/parkline/kafka-ca/{{ $k.tls.caKey }}
{{- end }}
{{- if $k.tls.clientSecretName }}
- name: PARKLINE_KAFKA_CERT_FILE
  value: /etc/parkline/kafka-client/{{ $k.tls.certKey }}
- name: PARKLINE_KAFKA_KEY_FILE
  value: /etc/parkline/kafka-client/{{ $k.tls.keyKey }}
{{- end }}
{{- if $k.sasl.passwordSecretName }}
- name: PARKLINE_KAFKA_SASL_MECHANISM
  value: {{ $k.sasl.mechanism | quote }}
- name: PARKLINE_KAFKA_SASL_USERNAME
  value: {{ $k.sasl.username | quote }}
- name: PARKLINE_KAFKA_SASL_PASSWORD_FILE
  value: /etc/parkline/kafka-sasl/{{ $k.sasl.passwordKey }}
{{- end }}
{{- end }}

{{- define "parkline.kafkaVolumeMounts" -}}
{{- $k := .Values.kafka }}
{{- if $k.tls.caSecretName }}
- name: kafka-ca
  mountPath: /etc/parkline/kafka-ca
  readOnly: true
{{- end }}
{{- if $k.tls.clientSecretName }}
- name: kafka-client
  mountPath: /etc/parkline/kafka-client
  readOnly: true
{{- end }}
{{- if $k.sasl.passwordSecretName }}
- name: kafka-sasl
  mountPath: /etc/parkline/kafka-sasl
  readOnly: true
{{- end }}
{{- end }}

{{- define "parkline.kafkaVolumes" -}}
{{- $k := .Values.kafka }}
{{- if $k.tls.caSecretName }}
- name: kafka-ca
  secret:
    secretName: {{ $k.tls.caSecretName }}
    defaultMode: 0440
    items:
      - key: {{ $k.tls.caKey }}
        path: {{ $k.tls.caKey }}
{{- end }}
{{- if $k.tls.clientSecretName }}
- name: kafka-client
  secret:
    secretName: {{ $k.tls.clientSecretName }}
    defaultMode: 0440
    items:
      - key: {{ $k.tls.certKey }}
        path: {{ $k.tls.certKey }}
      - key: {{ $k.tls.keyKey }}
        path: {{ $k.tls.keyKey }}
{{- end }}
{{- if $k.sasl.passwordSecretName }}
- name: kafka-sasl
  secret:
    secretName: {{ $k.sasl.passwordSecretName }}
    defaultMode: 0440
    items:
      - key: {{ $k.sasl.passwordKey }}
        path: {{ $k.sasl.passwordKey }}
{{- end }}
{{- end }}

{{/*
The park's topics from files/topics.txt (the same file as tools/kafka/topics.txt): a list of
dicts name, partitions, retentionMs with kafka.topics.overrides applied.
*/}}
{{- define "parkline.topics" -}}
{{- $t := .Values.kafka.topics }}
{{- $out := list }}
{{- range $line := splitList "\n" (.Files.Get "files/topics.txt") }}
{{- $line = trim $line }}
{{- if and $line (not (hasPrefix "#" $line)) }}
{{- $f := splitList " " (regexReplaceAll "\\s+" $line " ") }}
{{- $name := index $f 0 }}
{{- $o := get $t.overrides $name | default dict }}
{{- /* Numbers as text: a round trip through JSON would print large ones as 6.048e+08. */}}
{{- $out = append $out (dict "name" $name "partitions" (printf "%d" (int ($o.partitions | default (index $f 1)))) "retentionMs" (printf "%d" (int64 ($o.retentionMs | default $t.retentionMs)))) }}
{{- end }}
{{- end }}
{{- if not $out }}{{ fail "files/topics.txt lists no topic" }}{{ end }}
{{- toJson $out }}
{{- end }}

{{/*
The clearance service's signer settings that it would refuse at start (services/clearance/
config.cc), refused at render time instead. Call with the merged service entry.
*/}}
{{- define "parkline.signerValidate" -}}
{{- $s := .signer }}
{{- $c := .customsCertificates }}
{{- $external := eq (get (.env | default dict) "PARKLINE_CUSTOMS_GATEWAY" | default "simulator") "external" }}
{{- if and $external (eq $s.type "none") (not .allowUnsignedDrafts) }}
{{- fail "services.clearance.signer.type=none with PARKLINE_CUSTOMS_GATEWAY=external: customs stores unsigned inventories as drafts and never declares them. Set services.clearance.signer.type=pem or pkcs11 (with signer.existingSecret), or services.clearance.allowUnsignedDrafts=true to send drafts on purpose" }}
{{- end }}
{{- if and (eq $s.type "none") $s.existingSecret }}
{{- fail "services.clearance.signer.existingSecret is set but signer.type is none: set signer.type to pem or pkcs11, or leave the Secret out" }}
{{- end }}
{{- if ne $s.type "none" }}
{{- if not $s.existingSecret }}
{{- fail (printf "services.clearance.signer.type=%s needs signer.existingSecret (%s)" $s.type (ternary "keys signer.key and signer.crt" "key pin" (eq $s.type "pem"))) }}
{{- end }}
{{- if not $s.keyName }}
{{- fail (printf "services.clearance.signer.type=%s needs signer.keyName: the certificate's name at the data centre, written in <ds:KeyName>" $s.type) }}
{{- end }}
{{- end }}
{{- if eq $s.type "pkcs11" }}
{{- if not $s.pkcs11.module }}
{{- fail "services.clearance.signer.type=pkcs11 needs signer.pkcs11.module: the path of the vendor's PKCS#11 library in the image or a mounted volume" }}
{{- end }}
{{- if and (lt (int $s.pkcs11.slot) 0) (not $s.pkcs11.tokenLabel) }}
{{- fail "services.clearance.signer.type=pkcs11 needs signer.pkcs11.slot (0 or more) or signer.pkcs11.tokenLabel" }}
{{- end }}
{{- if not $s.pkcs11.keyLabel }}
{{- fail "services.clearance.signer.type=pkcs11 needs signer.pkcs11.keyLabel: the private key's CKA_LABEL" }}
{{- end }}
{{- end }}
{{- if and $c.existingSecret $c.configMap }}
{{- fail "services.clearance.customsCertificates: existingSecret and configMap exclude each other (one source of customs' certificates)" }}
{{- end }}
{{- end }}

{{/*
The clearance service's signer and customs certificates as its environment: every secret is a
file under /etc/parkline/signer (parkline.signerVolumes), never an environment value.
*/}}
{{- define "parkline.signerEnv" -}}
{{- $s := .signer }}
{{- $c := .customsCertificates }}
- name: PARKLINE_SIGNER
  value: {{ $s.type | quote }}
{{- if ne $s.type "none" }}
- name: PARKLINE_SIGNER_KEY_NAME
  value: {{ $s.keyName | quote }}
{{- end }}
{{- if eq $s.type "pem" }}
- name: PARKLINE_SIGNER_KEY_FILE
  value: /etc/parkline/signer/{{ $s.keyKey }}
- name: PARKLINE_SIGNER_CERTIFICATE_FILE
  value: /etc/parkline/signer/{{ $s.certificateKey }}
{{- else if eq $s.type "pkcs11" }}
- name: PARKLINE_PKCS11_MODULE
  value: {{ $s.pkcs11.module | quote }}
- name: PARKLINE_PKCS11_SLOT
  value: {{ int $s.pkcs11.slot | quote }}
{{- with $s.pkcs11.tokenLabel }}
- name: PARKLINE_PKCS11_TOKEN_LABEL
  value: {{ . | quote }}
{{- end }}
- name: PARKLINE_PKCS11_KEY_LABEL
  value: {{ $s.pkcs11.keyLabel | quote }}
- name: PARKLINE_PKCS11_PIN_FILE
  value: /etc/parkline/signer/{{ $s.pinKey }}
{{- if $s.pkcs11.certificateInSecret }}
- name: PARKLINE_SIGNER_CERTIFICATE_FILE
  value: /etc/parkline/signer/{{ $s.certificateKey }}
{{- end }}
{{- end }}
{{- if .allowUnsignedDrafts }}
- name: PARKLINE_ALLOW_UNSIGNED_DRAFTS
  value: "true"
{{- end }}
{{- if or $c.existingSecret $c.configMap }}
{{- $files := list }}
{{- range $c.keys }}{{ $files = append $files (printf "/etc/parkline/customs/%s" .) }}{{ end }}
- name: PARKLINE_CUSTOMS_CERTIFICATE_FILES
  value: {{ join "," $files | quote }}
{{- end }}
{{- end }}

{{- define "parkline.signerVolumeMounts" -}}
{{- if ne .signer.type "none" }}
- name: signer
  mountPath: /etc/parkline/signer
  readOnly: true
{{- end }}
{{- if or .customsCertificates.existingSecret .customsCertificates.configMap }}
- name: customs-certificates
  mountPath: /etc/parkline/customs
  readOnly: true
{{- end }}
{{- end }}

{{- define "parkline.signerVolumes" -}}
{{- $s := .signer }}
{{- $c := .customsCertificates }}
{{- if ne $s.type "none" }}
- name: signer
  secret:
    secretName: {{ $s.existingSecret }}
    defaultMode: 0440
    items:
      {{- if eq $s.type "pem" }}
      - key: {{ $s.keyKey }}
        path: {{ $s.keyKey }}
      - key: {{ $s.certificateKey }}
        path: {{ $s.certificateKey }}
      {{- else }}
      - key: {{ $s.pinKey }}
        path: {{ $s.pinKey }}
      {{- if $s.pkcs11.certificateInSecret }}
      - key: {{ $s.certificateKey }}
        path: {{ $s.certificateKey }}
      {{- end }}
      {{- end }}
{{- end }}
{{- if or $c.existingSecret $c.configMap }}
- name: customs-certificates
  {{- if $c.existingSecret }}
  secret:
    secretName: {{ $c.existingSecret }}
  {{- else }}
  configMap:
    name: {{ $c.configMap }}
  {{- end }}
    defaultMode: 0444
    items:
      {{- range $c.keys }}
      - key: {{ . }}
        path: {{ . }}
      {{- end }}
{{- end }}
{{- end }}

{{/*
The statistics' exchange-rate table: the image's file, or the operator's ConfigMap mounted at
/etc/parkline/exchange-rates. The service reads it once at start.
*/}}
{{- define "parkline.exchangeRatesEnv" -}}
- name: PARKLINE_EXCHANGE_RATES
  {{- if .configMap }}
  value: /etc/parkline/exchange-rates/{{ .key }}
  {{- else }}
  value: /usr/local/share/parkline/exchange_rates.csv
  {{- end }}
{{- end }}
