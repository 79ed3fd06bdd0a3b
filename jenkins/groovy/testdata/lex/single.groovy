echo 'plain'
echo 'it\'s \t tab \u00e9 \\ back'
echo 'no ${interp} $here'
echo ''
