package indicator

import "strings"

// Extraction calls a dotted word a domain only when it ends in a real
// top-level domain. The list is deliberately compact: every two-letter
// country-code TLD, the original generic ones, and the new generic ones
// that are common in legitimate use or in abuse reports. The full IANA
// list (about 1,450 names, changing monthly) would let "config.json"-like
// words through on TLDs nobody uses; a domain on a TLD missing here can
// still be added by hand, since Normalize does not consult the list.
// docs/indicators.md says so.
const (
	ccTLDs = `ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo bq br bs bt bw by bz
ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr
ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp
ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu
mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa
sb sc sd se sg sh si sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk
us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw`
	gTLDs = `com net org info biz edu gov mil int arpa name pro mobi asia tel travel aero coop jobs museum cat post xxx
xyz top online site club shop store app dev tech space website live life world today icu vip work buzz fun host press
link click download loan win bid racing review stream trade date party science cricket faith accountant men gdn kim
ltd ooo rest bar cyou monster sbs cfd quest lol beauty hair skin makeup autos boats homes mom pics zip mov email cloud
digital network systems solutions services support center company agency group global one blog news media social
team zone page cam cab art design studio agency finance financial bank money capital fund investments insurance
cash pay exchange trading market marketing business consulting management legal law health care clinic fitness
games game casino bet poker io ai tv fm ly gg me cc co best bond cfd lat forum chat love dating fit guru expert tips
tools software codes computer technology security cyber host hosting server domains wiki academy education school
university college energy solar email mail webcam camera photo photos video audio music movie film red blue black
pink green gold red shop shopping sale deals discount gift gifts promo city town country community institute foundation
church charity ngo ong fans fan cool ninja rocks wtf live best top biz gay porn sex adult onion`
)

// fileExtensions are extensions seen in reports that are not TLDs, or
// are both (the ones also in tlds): "invoice.pdf" is a file, and
// "payload.zip" may be either. TLDs that are busy as domains (.com, .cc,
// .ai, .app, .pl, .in) are left out even where they are extensions too.
const fileExtensions = `exe dll sys drv bat cmd ps1 psm1 psd1 vbs vbe js jse mjs wsf wsh hta lnk scr cpl msi msp msc jar class py pyc pyw php
asp aspx ashx jsp cgi pm rb sh bash zsh doc docx docm dot dotm xls xlsx xlsm xlsb xlam ppt pptx pptm ppam pdf rtf txt
csv log ini cfg conf config json xml yml yaml toml html htm xhtml css png jpg jpeg gif bmp svg ico tif tiff webp mp3
mp4 avi mkv wav iso img vhd vhdx rar 7z gz tgz tar bz2 xz cab zip mov dat tmp bak db sqlite dmp key pem crt cer der
pfx p12 one onepkg eml msg ics iqy slk xll wll so dylib elf apk ipa dmg pkg deb rpm md rs go ts c h cpp cs java kt
swift lua ps psd eps ttf otf woff woff2 sln csproj vbproj ml mk as url reg inf evtx etl pcap pcapng`

var (
	tlds    = wordSet(ccTLDs + " " + gTLDs)
	fileExt = wordSet(fileExtensions)
	// reservedTLDs never reach the internet (RFC 2606, RFC 6761, RFC
	// 6762's .local): extracted, but flagged rather than suggested.
	reservedTLDs = map[string]string{
		"test": "reserved for testing (RFC 6761)", "example": "reserved for documentation (RFC 2606)",
		"invalid": "reserved as never valid (RFC 6761)", "localhost": "a loopback name (RFC 6761)",
		"local": "an internal name (.local, multicast DNS)", "internal": "an internal name (.internal)",
		"lan": "an internal name (.lan)", "corp": "an internal name (.corp)", "home": "an internal name (.home)",
	}
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// realTLD reports whether tld (lower case, punycode) is in the list or is
// an internationalised TLD (xn--), which the list leaves out but which
// nobody uses as a file extension.
func realTLD(tld string) bool { return tlds[tld] || strings.HasPrefix(tld, "xn--") }
